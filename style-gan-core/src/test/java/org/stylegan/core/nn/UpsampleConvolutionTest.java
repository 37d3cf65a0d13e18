package org.stylegan.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stylegan.core.TestSupport.assertAllClose;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.TestSupport;
import org.stylegan.core.internal.TrainableGraph;

/** {@link UpsampleConvolution2D} against the layers it fuses: upsampling, padding, 3x3 convolution. */
class UpsampleConvolutionTest {
    private static final CNN2DFormat NHWC = CNN2DFormat.NHWC;

    /** NCHW in -> NHWC -> fused layer -> NCHW. */
    private static ComputationGraphConfiguration fused(boolean reflect, Activation act, int cin, int cout, int h,
                                                       int w, DataType dt) {
        return LayerGraphs.wrapped(new UpsampleConvolution2D.Builder().reflect(reflect).nIn(cin).nOut(cout)
                .activation(act).build(), cin, h, w, dt);
    }

    /** NCHW in -> NHWC -> upsample x2 -> pad 1 (reflection, or the conv's zero padding) -> 3x3 conv -> NCHW. */
    private static ComputationGraphConfiguration chain(boolean reflect, Activation act, int cin, int cout, int h,
                                                       int w, DataType dt) {
        var b = LayerGraphs.base(dt).graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(h, w, cin))
                .addLayer("toNhwc", LayoutPermute2D.toNhwc(), "in")
                .addLayer("up", NearestUpsampling2D.of(2, NHWC), "toNhwc");
        String src = "up";
        if (reflect) {
            b.addLayer("pad", ReflectionPadding2D.of(1, NHWC), "up");
            src = "pad";
        }
        return b.addLayer("conv", new NhwcConvolution2D.Builder(3).padding(reflect ? 0 : 1).nIn(cin).nOut(cout)
                        .activation(act).build(), src)
                .addLayer("toNchw", LayoutPermute2D.toNchw(), "conv")
                .setOutputs("toNchw").build();
    }

    @ParameterizedTest
    @CsvSource({"1, true, IDENTITY, 5, 7", "3, true, RELU, 4, 4", "2, false, IDENTITY, 3, 6", "1, false, TANH, 1, 2",
            "2, true, LEAKYRELU, 1, 1", "1, true, IDENTITY, 16, 16"})
    void equalsUpsamplePadConvolutionForwardAndBackward(int batch, boolean reflect, Activation act, int h, int w) {
        int cin = 5;
        int cout = 6;
        TrainableGraph f = TestSupport.graph(fused(reflect, act, cin, cout, h, w, DataType.FLOAT));
        TrainableGraph c = TestSupport.graph(chain(reflect, act, cin, cout, h, w, DataType.FLOAT));
        // Same seed and parameter layout: the fused layer starts as the same function.
        assertAllClose(f.graph().params(), c.graph().params(), 0, 0);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, batch, cin, h, w);
        INDArray yf = f.forward(x, true).dup();
        INDArray yc = c.forward(x, true).dup();
        assertThat(yf.shape()).containsExactly(batch, cout, 2L * h, 2L * w);
        assertAllClose(yf, yc, 1e-4, 1e-5);
        INDArray eps = Nd4j.randn(DataType.FLOAT, yf.shape());
        TrainableGraph.Backward bf = f.backward(eps);
        TrainableGraph.Backward bc = c.backward(eps);
        assertAllClose(bf.inputGradient(), bc.inputGradient(), 1e-4, 1e-4);
        assertAllClose(bf.paramGradient().gradient(), bc.paramGradient().gradient(), 1e-4, 1e-3);
    }

    @ParameterizedTest
    @CsvSource({"1, true", "3, true", "2, false"})
    void gradientsMatchFiniteDifferences(int batch, boolean reflect) {
        TrainableGraph net = TestSupport.graph(fused(reflect, Activation.TANH, 2, 3, 3, 4, DataType.DOUBLE));
        Nd4j.getRandom().setSeed(11);
        TestSupport.checkGradients(net, Nd4j.randn(DataType.DOUBLE, batch, 2, 3, 4), 5, 400);
    }

    @Test
    void unsupportedActivationAndMissingChannelsFailClearly() {
        assertThatThrownBy(() -> new UpsampleConvolution2D.Builder().nOut(4).activation(Activation.SOFTPLUS).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("identity, ReLU");
        assertThatThrownBy(() -> new UpsampleConvolution2D.Builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nOut");
        assertThatThrownBy(() -> LayerGraphs.single(new UpsampleConvolution2D.Builder().nOut(4).build(), 3, 4, 4,
                DataType.FLOAT)).hasMessageContaining("NHWC");
    }

    @Test
    void survivesModelSerializerRoundTrip(@TempDir Path dir) throws Exception {
        ComputationGraph g = new ComputationGraph(fused(false, Activation.RELU, 3, 4, 5, 6, DataType.FLOAT));
        g.init();
        File file = dir.resolve("up.zip").toFile();
        ModelSerializer.writeModel(g, file, true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(file, true);
        assertThat(loaded.getConfiguration()).isEqualTo(g.getConfiguration());
        assertThat(((UpsampleConvolution2D) loaded.getLayer("l").conf().getLayer()).isReflect()).isFalse();
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 5, 6);
        assertAllClose(loaded.outputSingle(x), g.outputSingle(x), 0, 0);
    }
}
