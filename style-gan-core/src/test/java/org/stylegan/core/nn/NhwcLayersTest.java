package org.stylegan.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stylegan.core.TestSupport.assertAllClose;

import java.io.File;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.stylegan.core.TestSupport;
import org.stylegan.core.internal.TrainableGraph;

/** NHWC paths of the parameter-free layers, {@link LayoutPermute2D}, and the dataFormat field's JSON compatibility. */
class NhwcLayersTest {
    private static final CNN2DFormat NHWC = CNN2DFormat.NHWC;
    private static final CNN2DFormat NCHW = CNN2DFormat.NCHW;

    private static ComputationGraphConfiguration single(Layer layer, InputType in, DataType dt) {
        return LayerGraphs.base(dt).graphBuilder().addInputs("in").setInputTypes(in).addLayer("l", layer, "in").setOutputs("l")
                .build();
    }

    private static INDArray input(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void reflectionPaddingNhwcGradientsMatchFiniteDifferences(int batch) {
        TrainableGraph net = TestSupport.graph(LayerGraphs.wrapped(
                new ReflectionPadding2D.Builder().padding(2, 1, 3, 1).dataFormat(NHWC).build(), 2, 4, 5,
                DataType.DOUBLE));
        TestSupport.checkGradients(net, input(20, batch, 2, 4, 5), 89, 500);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void nearestUpsamplingNhwcGradientsMatchFiniteDifferences(int batch) {
        TrainableGraph net = TestSupport.graph(LayerGraphs.wrapped(NearestUpsampling2D.of(2, NHWC), 2, 3, 4, DataType.DOUBLE));
        TestSupport.checkGradients(net, input(21, batch, 2, 3, 4), 88, 500);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void nearestUpsamplingNhwcByThreeGradientsMatch(int batch) {
        TrainableGraph net = TestSupport.graph(LayerGraphs.wrapped(NearestUpsampling2D.of(3, NHWC), 3, 2, 3, DataType.DOUBLE));
        TestSupport.checkGradients(net, input(22, batch, 3, 2, 3), 87, 500);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void layoutPermuteGradientsMatchFiniteDifferences(int batch) {
        TrainableGraph toNhwc = TestSupport.graph(single(LayoutPermute2D.toNhwc(), InputType.convolutional(4, 5, 3),
                DataType.DOUBLE));
        TestSupport.checkGradients(toNhwc, input(23, batch, 3, 4, 5), 86, 500);
        TrainableGraph toNchw = TestSupport.graph(single(LayoutPermute2D.toNchw(),
                InputType.convolutional(4, 5, 3, NHWC), DataType.DOUBLE));
        TestSupport.checkGradients(toNchw, input(24, batch, 4, 5, 3), 85, 500);
    }

    @Test
    void layoutPermuteMovesChannelsLastAndBack() {
        TrainableGraph net = TestSupport.graph(single(LayoutPermute2D.toNhwc(), InputType.convolutional(4, 5, 3),
                DataType.DOUBLE));
        INDArray x = input(25, 2, 3, 4, 5);
        INDArray y = net.output(x);
        assertThat(y.shape()).containsExactly(2, 4, 5, 3);
        assertThat(y.getDouble(1, 2, 3, 0)).isEqualTo(x.getDouble(1, 0, 2, 3));
        assertThat(y.getDouble(0, 3, 1, 2)).isEqualTo(x.getDouble(0, 2, 3, 1));
        TrainableGraph roundTrip = TestSupport.graph(LayerGraphs.wrapped(new org.deeplearning4j.nn.conf.layers.ActivationLayer
                .Builder().activation(Activation.IDENTITY).build(), 3, 4, 5, DataType.DOUBLE));
        assertAllClose(roundTrip.output(x), x, 0, 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void nhwcLayersThroughPermutesEqualNchwLayersExactly(int batch) {
        Layer[][] pairs = {
                {ReflectionPadding2D.of(2, 1, 3, 1), new ReflectionPadding2D.Builder().padding(2, 1, 3, 1)
                        .dataFormat(NHWC).build()},
                {ReflectionPadding2D.of(1), ReflectionPadding2D.of(1, NHWC)},
                {NearestUpsampling2D.of(2), NearestUpsampling2D.of(2, NHWC)},
                {NearestUpsampling2D.of(3), NearestUpsampling2D.of(3, NHWC)}};
        for (Layer[] pair : pairs) {
            TrainableGraph nchw = TestSupport.graph(single(pair[0], InputType.convolutional(4, 5, 3),
                    DataType.DOUBLE));
            TrainableGraph nhwc = TestSupport.graph(LayerGraphs.wrapped(pair[1], 3, 4, 5, DataType.DOUBLE));
            INDArray x = input(26, batch, 3, 4, 5);
            INDArray y = nchw.forward(x, true);
            assertAllClose(nhwc.forward(x, true), y, 0, 0);
            INDArray g = input(27, y.shape());
            assertAllClose(nhwc.backward(g).inputGradient(), nchw.backward(g).inputGradient(), 0, 0);
        }
    }

    @Test
    void reflectionPaddingNhwcMatchesTorchLayout() {
        TrainableGraph net = TestSupport.graph(single(ReflectionPadding2D.of(2, NHWC),
                InputType.convolutional(3, 4, 2, NHWC), DataType.DOUBLE));
        // channel 0 = arange(12) as a 3x4 image, channel 1 = the same + 100
        INDArray plane = Nd4j.arange(12).castTo(DataType.DOUBLE).reshape(1, 3, 4, 1);
        INDArray x = Nd4j.concat(3, plane, plane.add(100));
        INDArray y = net.output(x);
        double[][] expected = LayerGraphs.TORCH_REFLECT_PAD2_OF_ARANGE12;
        INDArray e = Nd4j.create(expected).reshape(1, 7, 8, 1);
        assertAllClose(y, Nd4j.concat(3, e, e.add(100)), 0, 0);
    }

    @Test
    void convolutionStackInsideNhwcHasCorrectShapesNoPreprocessorsAndGradients() {
        ComputationGraphConfiguration conf = LayerGraphs.base(DataType.DOUBLE).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(5, 6, 2))
                .addLayer("toNhwc", LayoutPermute2D.toNhwc(), "in")
                .addLayer("pad", ReflectionPadding2D.of(1, NHWC), "toNhwc")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(3).dataFormat(NHWC)
                        .activation(Activation.TANH).convolutionMode(ConvolutionMode.Truncate).build(), "pad")
                .addLayer("up", NearestUpsampling2D.of(2, NHWC), "conv")
                .addLayer("toNchw", LayoutPermute2D.toNchw(), "up")
                .setOutputs("toNchw").build();
        Map<String, InputType> types = conf.getLayerActivationTypes(InputType.convolutional(5, 6, 2));
        assertThat(types.get("toNhwc")).isEqualTo(InputType.convolutional(5, 6, 2, NHWC));
        assertThat(types.get("pad")).isEqualTo(InputType.convolutional(7, 8, 2, NHWC));
        assertThat(types.get("conv")).isEqualTo(InputType.convolutional(5, 6, 3, NHWC));
        assertThat(types.get("up")).isEqualTo(InputType.convolutional(10, 12, 3, NHWC));
        assertThat(types.get("toNchw")).isEqualTo(InputType.convolutional(10, 12, 3, NCHW));
        conf.getVertices().forEach((name, v) -> assertThat(((LayerVertex) v).getPreProcessor())
                .as("preprocessor of " + name).isNull());
        TrainableGraph net = TestSupport.graph(conf);
        assertThat(net.output(input(28, 2, 2, 5, 6)).shape()).containsExactly(2, 3, 10, 12);
        TestSupport.checkGradients(net, input(29, 3, 2, 5, 6), 84, 400);
    }

    @Test
    void formatMismatchFailsNamingLayerAndBothFormats() {
        // the graph builder names each layer after its vertex, "l" here
        assertThatThrownBy(() -> single(ReflectionPadding2D.of(1, NHWC), InputType.convolutional(8, 8, 3),
                DataType.FLOAT))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ReflectionPadding2D layer 'l'")
                .hasMessageContaining("expects NHWC input but its input type is NCHW");
        assertThatThrownBy(() -> single(NearestUpsampling2D.of(2), InputType.convolutional(8, 8, 3, NHWC),
                DataType.FLOAT))
                .hasMessageContaining("expects NCHW input but its input type is NHWC");
        assertThatThrownBy(() -> single(LayoutPermute2D.toNhwc(), InputType.convolutional(8, 8, 3, NHWC),
                DataType.FLOAT))
                .hasMessageContaining("LayoutPermute2D layer").hasMessageContaining("expects NCHW input");
        assertThatThrownBy(() -> new NearestUpsampling2D.Builder().dataFormat(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dataFormat");
    }

    @Test
    void dataFormatIsPartOfEqualsHashCodeAndToString() {
        assertThat(ReflectionPadding2D.of(1, NHWC)).isNotEqualTo(ReflectionPadding2D.of(1))
                .isEqualTo(ReflectionPadding2D.of(1, NHWC)).hasSameHashCodeAs(ReflectionPadding2D.of(1, NHWC));
        assertThat(ReflectionPadding2D.of(1)).isEqualTo(ReflectionPadding2D.of(1, NCHW));
        assertThat(NearestUpsampling2D.of(2, NHWC)).isNotEqualTo(NearestUpsampling2D.of(2));
        assertThat(LayoutPermute2D.toNhwc()).isNotEqualTo(LayoutPermute2D.toNchw());
        assertThat(NearestUpsampling2D.of(2, NHWC).toString()).contains("dataFormat=NHWC");
        assertThat(ReflectionPadding2D.of(1).toString()).contains("dataFormat=NCHW");
        assertThat(LayoutPermute2D.toNhwc().toString()).contains("NCHW -> NHWC");
        assertThat(new ReflectionPadding2D().getDataFormat()).isEqualTo(NCHW);
    }

    @Test
    void nhwcConfigSurvivesModelSerializerRoundTrip(@TempDir Path dir) throws Exception {
        ComputationGraphConfiguration conf = LayerGraphs.base(DataType.FLOAT).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(6, 6, 3))
                .addLayer("toNhwc", LayoutPermute2D.toNhwc(), "in")
                .addLayer("pad", new ReflectionPadding2D.Builder().padding(1, 2, 0, 1).dataFormat(NHWC).build(),
                        "toNhwc")
                .addLayer("up", NearestUpsampling2D.of(3, NHWC), "pad")
                .addLayer("toNchw", LayoutPermute2D.toNchw(), "up")
                .setOutputs("toNchw").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        File f = dir.resolve("nhwc.zip").toFile();
        ModelSerializer.writeModel(g, f, true);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(f, true);
        assertThat(loaded.getConfiguration()).isEqualTo(g.getConfiguration());
        assertThat(((SpatialLayerConfig) loaded.getLayer("pad").conf().getLayer()).getDataFormat()).isEqualTo(NHWC);
        assertThat(((SpatialLayerConfig) loaded.getLayer("toNchw").conf().getLayer()).getDataFormat())
                .isEqualTo(NCHW);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 6, 6);
        INDArray y = loaded.outputSingle(x);
        assertThat(y.shape()).containsExactly(2, 3, 27, 21);
        assertAllClose(y, g.outputSingle(x), 0, 0);
    }

    @Test
    void modelSavedWithoutDataFormatFieldLoadsAsNchw(@TempDir Path dir) throws Exception {
        ComputationGraphConfiguration conf = LayerGraphs.base(DataType.FLOAT).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(6, 6, 2))
                .addLayer("pad", ReflectionPadding2D.of(1, 2, 0, 1), "in")
                .addLayer("up", NearestUpsampling2D.of(2), "pad")
                .setOutputs("up").build();
        String json = conf.toJson();
        assertThat(json).contains("\"dataFormat\" : \"NCHW\"");
        // What the code before the dataFormat field wrote: the same JSON without that line.
        String old = json.replaceAll("\\s*\"dataFormat\" : \"NCHW\",?", "");
        assertThat(old).doesNotContain("dataFormat");
        ComputationGraphConfiguration fromOld = ComputationGraphConfiguration.fromJson(old);
        assertThat(fromOld).isEqualTo(conf);

        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        File written = dir.resolve("new.zip").toFile();
        ModelSerializer.writeModel(g, written, false);
        File oldZip = dir.resolve("old.zip").toFile();
        rewriteEntry(written, oldZip, "configuration.json", old);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(oldZip, false);
        assertThat(((SpatialLayerConfig) loaded.getLayer("pad").conf().getLayer()).getDataFormat()).isEqualTo(NCHW);
        assertThat(((SpatialLayerConfig) loaded.getLayer("up").conf().getLayer()).getDataFormat()).isEqualTo(NCHW);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 2, 6, 6);
        assertAllClose(loaded.outputSingle(x), g.outputSingle(x), 0, 0);
    }

    private static void rewriteEntry(File from, File to, String entry, String content) throws Exception {
        try (ZipFile in = new ZipFile(from); ZipOutputStream out = new ZipOutputStream(new FileOutputStream(to))) {
            var entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                out.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals(entry)) {
                    out.write(content.getBytes(StandardCharsets.UTF_8));
                } else {
                    in.getInputStream(e).transferTo(out);
                }
                out.closeEntry();
            }
        }
    }
}
