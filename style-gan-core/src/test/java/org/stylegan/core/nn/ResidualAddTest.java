package org.stylegan.core.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stylegan.core.TestSupport.assertAllClose;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.TestSupport;
import org.stylegan.core.internal.TrainableGraph;

/** ResidualAdd against DL4J's ElementWiseVertex(Add), inside a small residual block where both inputs train. */
class ResidualAddTest {

    /** x -> conv(relu) -> norm; out = x' + norm, with x' = conv0(x) feeding both branches. */
    private static ComputationGraphConfiguration block(GraphVertex add, DataType dt) {
        return LayerGraphs.base(dt).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(6, 5, 2, CNN2DFormat.NHWC))
                .addLayer("c0", new NhwcConvolution2D.Builder(3).padding(1).nOut(3).build(), "in")
                .addLayer("c1", new NhwcConvolution2D.Builder(3).padding(1).nOut(3).activation(Activation.RELU)
                        .build(), "c0")
                .addLayer("n1", new InstanceNormalization.Builder().dataFormat(CNN2DFormat.NHWC).build(), "c1")
                .addVertex("add", add, "c0", "n1")
                .addLayer("c2", new NhwcConvolution2D.Builder(3).padding(1).nOut(2).build(), "add")
                .setOutputs("c2").build();
    }

    private static INDArray randn(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    @Test
    void gradientsMatchFiniteDifferencesAndDl4jsAdd() {
        TrainableGraph ours = TestSupport.graph(block(new ResidualAdd(), DataType.DOUBLE));
        TrainableGraph dl4j = TestSupport.graph(block(new ElementWiseVertex(ElementWiseVertex.Op.Add), DataType.DOUBLE));
        dl4j.graph().params().assign(ours.graph().params());
        TestSupport.checkGradients(ours, randn(1, 3, 6, 5, 2), 2, 400);
        INDArray x = randn(3, 2, 6, 5, 2);
        INDArray y = dl4j.forward(x, true);
        assertAllClose(ours.forward(x, true), y, 1e-12, 1e-12);
        INDArray g = randn(4, y.shape());
        TrainableGraph.Backward ref = dl4j.backward(g);
        TrainableGraph.Backward bw = ours.backward(g);
        assertAllClose(bw.inputGradient(), ref.inputGradient(), 1e-12, 1e-12);
        assertAllClose(bw.paramGradient().gradient(), ref.paramGradient().gradient(), 1e-12, 1e-12);
    }

    @Test
    void survivesModelSerializerAndRejectsMismatchedInputs(@TempDir Path dir) throws Exception {
        ComputationGraph g = new ComputationGraph(block(new ResidualAdd(), DataType.FLOAT));
        g.init();
        File f = dir.resolve("res.zip").toFile();
        ModelSerializer.writeModel(g, f, false);
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(f, false);
        assertThat(loaded.getConfiguration().getVertices().get("add")).isInstanceOf(ResidualAdd.class);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 6, 5, 2);
        assertAllClose(loaded.outputSingle(x), g.outputSingle(x), 0, 0);
        assertThatThrownBy(() -> new ResidualAdd().getOutputType(0, InputType.convolutional(4, 4, 3),
                InputType.convolutional(4, 4, 2))).hasMessageContaining("two inputs of the same type");
    }
}
