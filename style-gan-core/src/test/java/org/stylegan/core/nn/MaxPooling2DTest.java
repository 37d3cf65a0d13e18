package org.stylegan.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stylegan.core.TestSupport.assertAllClose;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.TestSupport;
import org.stylegan.core.internal.TrainableGraph;

/**
 * {@link MaxPooling2D}: finite-difference gradients in both layouts, equality with DL4J's {@code SubsamplingLayer},
 * and validation. Inputs are continuous random values, so no window has a tie (ties make max pooling
 * non-differentiable and break finite differences).
 */
class MaxPooling2DTest {
    private static final CNN2DFormat NHWC = CNN2DFormat.NHWC;
    private static final CNN2DFormat NCHW = CNN2DFormat.NCHW;

    private static SubsamplingLayer dl4j(int k, int s) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(k, k).stride(s, s)
                .convolutionMode(ConvolutionMode.Truncate).build();
    }

    private static INDArray input(long seed, DataType dt, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(dt, shape);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void nhwcGradientsMatchFiniteDifferences(int batch) {
        // 5x7 with 2x2/2 drops the last row and column; 3x3/2 windows overlap.
        TrainableGraph net = TestSupport.graph(LayerGraphs.wrapped(MaxPooling2D.of(2, NHWC), 3, 5, 7, DataType.DOUBLE));
        TestSupport.checkGradients(net, input(40, DataType.DOUBLE, batch, 3, 5, 7), 41, 500);
        TrainableGraph overlap = TestSupport.graph(LayerGraphs.wrapped(new MaxPooling2D.Builder().kernel(3).stride(2)
                .dataFormat(NHWC).build(), 2, 7, 6, DataType.DOUBLE));
        TestSupport.checkGradients(overlap, input(42, DataType.DOUBLE, batch, 2, 7, 6), 43, 500);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void nchwGradientsMatchFiniteDifferences(int batch) {
        TrainableGraph net = TestSupport.graph(LayerGraphs.single(MaxPooling2D.of(2, NCHW), 3, 5, 7, DataType.DOUBLE));
        TestSupport.checkGradients(net, input(44, DataType.DOUBLE, batch, 3, 5, 7), 45, 500);
        TrainableGraph overlap = TestSupport.graph(LayerGraphs.single(new MaxPooling2D.Builder().kernel(3).stride(2).build(),
                2, 7, 6, DataType.DOUBLE));
        TestSupport.checkGradients(overlap, input(46, DataType.DOUBLE, batch, 2, 7, 6), 47, 500);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void equalsDl4jSubsamplingLayerInBothLayouts(String type) {
        DataType dt = DataType.valueOf(type);
        int[][] kernelStride = {{2, 2}, {3, 2}, {2, 1}};
        for (int[] ks : kernelStride) {
            TrainableGraph ref = TestSupport.graph(LayerGraphs.single(dl4j(ks[0], ks[1]), 16, 9, 12, dt));
            TrainableGraph nchw = TestSupport.graph(LayerGraphs.single(new MaxPooling2D.Builder().kernel(ks[0]).stride(ks[1])
                    .build(), 16, 9, 12, dt));
            TrainableGraph nhwc = TestSupport.graph(LayerGraphs.wrapped(new MaxPooling2D.Builder().kernel(ks[0]).stride(ks[1])
                    .dataFormat(NHWC).build(), 16, 9, 12, dt));
            INDArray x = input(48, dt, 2, 16, 9, 12);
            INDArray y = ref.forward(x, true);
            assertAllClose(nchw.forward(x, true), y, 0, 0);
            assertAllClose(nhwc.forward(x, true), y, 0, 0);
            INDArray g = input(49, dt, y.shape());
            INDArray dx = ref.backward(g).inputGradient();
            assertAllClose(nchw.backward(g).inputGradient(), dx, 0, 0);
            assertAllClose(nhwc.backward(g).inputGradient(), dx, 0, 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "DOUBLE"})
    void backwardOverwritesEveryElementOfItsBuffer(String type) {
        // Pooled gradient buffers come back dirty: the op must write zeros where no maximum was, not skip them.
        DataType dt = DataType.valueOf(type);
        for (int nhwc = 0; nhwc <= 1; nhwc++) {
            // NHWC [2, 6, 6, 4] or NCHW [2, 4, 6, 6]
            INDArray x = input(50, dt, nhwc == 1 ? new long[] {2, 6, 6, 4} : new long[] {2, 4, 6, 6});
            INDArray g = input(51, dt, nhwc == 1 ? new long[] {2, 3, 3, 4} : new long[] {2, 4, 3, 3});
            INDArray dx = Nd4j.valueArrayOf(x.shape(), Double.NaN, dt);
            Nd4j.exec(org.nd4j.linalg.api.ops.DynamicCustomOp.builder("maxpool2d_bp").addInputs(x, g)
                    .addOutputs(dx).addIntegerArguments(2, 2, 2, 2, 0, 0, 1, 1, 0, 0, nhwc).build());
            assertThat(dx.isNaN().any()).as("NaN left in dx (isNHWC=" + nhwc + ")").isFalse();
            assertThat(dx.neq(0).castTo(DataType.INT).sumNumber().longValue()).isEqualTo(g.length());
        }
    }

    @Test
    void rejectsBadSettingsAndInputs() {
        assertThatThrownBy(() -> new MaxPooling2D.Builder().kernel(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("kernel must be >= 1, found 0");
        assertThatThrownBy(() -> new MaxPooling2D.Builder().stride(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stride must be >= 1, found -1");
        assertThatThrownBy(() -> LayerGraphs.single(MaxPooling2D.of(2, NHWC), 3, 8, 8, DataType.FLOAT))
                .hasMessageContaining("expects NHWC input");
        assertThatThrownBy(() -> LayerGraphs.single(MaxPooling2D.of(4, NCHW), 3, 3, 8, DataType.FLOAT))
                .hasMessageContaining("input height 3 is smaller than the pooling window 4");
        TrainableGraph net = TestSupport.graph(LayerGraphs.single(MaxPooling2D.of(2, NCHW), 3, 8, 8, DataType.FLOAT));
        assertThatThrownBy(() -> net.output(Nd4j.rand(DataType.FLOAT, 1, 3, 1, 8)))
                .hasStackTraceContaining("smaller than the pooling window 2");
    }

    @Test
    void configurationSurvivesJson() {
        ComputationGraphConfiguration conf = LayerGraphs.wrapped(new MaxPooling2D.Builder().kernel(3).stride(2)
                .dataFormat(NHWC).build(), 2, 7, 6, DataType.FLOAT);
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertThat(back).isEqualTo(conf);
        Layer l = ((org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices().get("l")).getLayerConf()
                .getLayer();
        assertThat(l).isInstanceOf(MaxPooling2D.class).hasToString(
                "MaxPooling2D(name=l, kernel=3, stride=2, dataFormat=NHWC)");
    }
}
