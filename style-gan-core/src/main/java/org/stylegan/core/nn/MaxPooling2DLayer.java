package org.stylegan.core.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime implementation of {@link MaxPooling2D}: one libnd4j {@code maxpool2d} forward, one {@code maxpool2d_bp}
 * backward (which finds the maxima again from the kept input), both in the layer's own layout, so oneDNN pools NHWC
 * activations without a reorder.
 */
public class MaxPooling2DLayer extends ParameterFreeLayer<MaxPooling2D> {

    /** Creates the layer for a configuration; called by {@link MaxPooling2D#instantiate}. */
    public MaxPooling2DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.SUBSAMPLING;
    }

    private boolean nhwc() {
        return layerConf().getDataFormat() == CNN2DFormat.NHWC;
    }

    private int[] intArgs() {
        MaxPooling2D c = layerConf();
        int k = c.getKernel();
        int s = c.getStride();
        // kH, kW, sH, sW, pH, pW, dH, dW, isSameMode, extraParam0 (unused by max pooling), isNHWC
        return new int[] {k, k, s, s, 0, 0, 1, 1, 0, 0, nhwc() ? 1 : 0};
    }

    private long[] outputShape(INDArray x) {
        MaxPooling2D c = layerConf();
        if (nhwc()) {
            return new long[] {x.size(0), c.outputSize(x.size(1), "height"), c.outputSize(x.size(2), "width"),
                    x.size(3)};
        }
        return new long[] {x.size(0), x.size(1), c.outputSize(x.size(2), "height"), c.outputSize(x.size(3), "width")};
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        if (input.rank() != 4) {
            throw new IllegalArgumentException("MaxPooling2D layer '" + layerConf().getLayerName() + "' expects "
                    + layerConf().getDataFormat() + " input of rank 4, found shape " + Arrays.toString(input.shape()));
        }
        INDArray x = Scratch.dense(input);
        INDArray out = BufferPool.create(mgr, ArrayType.ACTIVATIONS, x.dataType(), outputShape(x));
        CustomOps.exec(DynamicCustomOp.builder("maxpool2d").addInputs(x).addOutputs(out)
                .addIntegerArguments(intArgs()).build());
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        BufferPool.enterBackward(this);
        assertInputSet(true);
        INDArray x = Scratch.dense(input);
        if (!Arrays.equals(epsilon.shape(), outputShape(x))) {
            throw new IllegalArgumentException("MaxPooling2D layer '" + layerConf().getLayerName()
                    + "': gradient shape " + Arrays.toString(epsilon.shape()) + " does not match the output shape "
                    + Arrays.toString(outputShape(x)));
        }
        INDArray g = Scratch.dense(epsilon.dataType() == x.dataType() ? epsilon : epsilon.castTo(x.dataType()));
        INDArray dx = BufferPool.create(mgr, ArrayType.ACTIVATION_GRAD, x.dataType(), x.shape());
        CustomOps.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(x, g).addOutputs(dx)
                .addIntegerArguments(intArgs()).build());
        return new Pair<>(new DefaultGradient(), dx);
    }
}
