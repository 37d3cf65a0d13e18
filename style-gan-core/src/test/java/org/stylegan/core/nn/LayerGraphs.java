package org.stylegan.core.nn;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.stylegan.core.internal.FastPath;

/** Small graphs around one layer, shared by this package's layer tests. */
final class LayerGraphs {
    private LayerGraphs() {
    }

    /** Seed 7, SGD; oneDNN helpers on (as in the library's networks). */
    static NeuralNetConfiguration.Builder base(DataType dt) {
        FastPath.ensureEnabled();
        return new NeuralNetConfiguration.Builder().dataType(dt).seed(7).updater(new Sgd(0.1));
    }

    /** NCHW input [c, h, w] -> layer. */
    static ComputationGraphConfiguration single(Layer layer, int c, int h, int w, DataType dt) {
        return base(dt).graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(h, w, c))
                .addLayer("l", layer, "in").setOutputs("l").build();
    }

    /** NCHW input -> toNhwc -> layer (NHWC) -> toNchw, so the graph's interface stays NCHW. */
    static ComputationGraphConfiguration wrapped(Layer nhwcLayer, int c, int h, int w, DataType dt) {
        return base(dt).graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(h, w, c))
                .addLayer("toNhwc", LayoutPermute2D.toNhwc(), "in")
                .addLayer("l", nhwcLayer, "toNhwc")
                .addLayer("toNchw", LayoutPermute2D.toNchw(), "l")
                .setOutputs("toNchw").build();
    }

    /** torch.nn.ReflectionPad2d(2)(torch.arange(12.).reshape(1, 1, 3, 4)), as rows. */
    static final double[][] TORCH_REFLECT_PAD2_OF_ARANGE12 = {
            {10, 9, 8, 9, 10, 11, 10, 9},
            {6, 5, 4, 5, 6, 7, 6, 5},
            {2, 1, 0, 1, 2, 3, 2, 1},
            {6, 5, 4, 5, 6, 7, 6, 5},
            {10, 9, 8, 9, 10, 11, 10, 9},
            {6, 5, 4, 5, 6, 7, 6, 5},
            {2, 1, 0, 1, 2, 3, 2, 1}};
}
