package org.stylegan.core.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime implementation of {@link NhwcConvolution2D}: one libnd4j {@code conv2d} forward, one {@code conv2d_bp}
 * backward, writing the weight and bias gradients straight into the layer's gradient views (no copies).
 */
public class NhwcConvolution2DLayer extends BaseLayer<NhwcConvolution2D> {
    private static final int NHWC = 1;
    private static final int WEIGHTS_HWIO = 0;
    private INDArray preOutput; // kept from a training pass when the activation is not the identity

    /** Creates the layer for a configuration; called by {@link NhwcConvolution2D#instantiate}. */
    public NhwcConvolution2DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    private int[] intArgs() {
        NhwcConvolution2D c = layerConf();
        int[] k = c.getKernel();
        int[] s = c.getStride();
        int[] p = c.getPadding();
        // kH, kW, sH, sW, pH, pW, dH, dW, paddingMode (0 = explicit), isNHWC, weight format
        return new int[] {k[0], k[1], s[0], s[1], p[0], p[1], 1, 1, 0, NHWC, WEIGHTS_HWIO};
    }

    private INDArray checkedInput() {
        INDArray x = input;
        NhwcConvolution2D c = layerConf();
        if (x.rank() != 4 || x.size(3) != c.getNIn()) {
            throw new IllegalArgumentException("NhwcConvolution2D layer '" + c.getLayerName()
                    + "' expects NHWC input [batch, height, width, " + c.getNIn() + "], found shape "
                    + Arrays.toString(x.shape()));
        }
        if (x.dataType() != dataType) {
            x = x.castTo(dataType);
        }
        // oneDNN reads any strides, but a dense buffer keeps it on the fast kernels.
        return x.isView() || x.ordering() != 'c' ? x.dup('c') : x;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        INDArray x = checkedInput();
        NhwcConvolution2D c = layerConf();
        long[] shape = {x.size(0), c.outputSize(x.size(1), 0), c.outputSize(x.size(2), 1), c.getNOut()};
        INDArray out = BufferPool.create(mgr, ArrayType.ACTIVATIONS, dataType, shape);
        INDArray w = getParam(NhwcConvParamInitializer.WEIGHT);
        INDArray b = getParam(NhwcConvParamInitializer.BIAS).reshape(c.getNOut());
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w, b).addOutputs(out)
                .addIntegerArguments(intArgs()).build());
        preOutput = null;
        if (c.getActivationFn() instanceof ActivationIdentity) {
            return out;
        }
        if (training) {
            // Detached: backward runs after any workspace of the forward pass is closed.
            preOutput = out.dup().detach();
        }
        return c.getActivationFn().getActivation(out, training);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        NhwcConvolution2D c = layerConf();
        INDArray x = checkedInput();
        INDArray delta = epsilon.dataType() == dataType ? epsilon : epsilon.castTo(dataType);
        if (!(c.getActivationFn() instanceof ActivationIdentity)) {
            if (preOutput == null) {
                throw new IllegalStateException("NhwcConvolution2D layer '" + c.getLayerName()
                        + "': backprop needs a training-mode forward pass first");
            }
            // backprop writes into its first argument, which is ours.
            delta = c.getActivationFn().backprop(preOutput, delta).getFirst();
            preOutput = null;
        } else if (delta.isView() || delta.ordering() != 'c') {
            delta = delta.dup('c');
        }
        INDArray dx = BufferPool.create(mgr, ArrayType.ACTIVATION_GRAD, dataType, x.shape());
        INDArray dW = gradientViews.get(NhwcConvParamInitializer.WEIGHT);
        INDArray db = gradientViews.get(NhwcConvParamInitializer.BIAS);
        INDArray w = getParam(NhwcConvParamInitializer.WEIGHT);
        INDArray b = getParam(NhwcConvParamInitializer.BIAS).reshape(c.getNOut());
        Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, b, delta)
                .addOutputs(dx, dW, db.reshape(c.getNOut())).addIntegerArguments(intArgs()).build());
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(NhwcConvParamInitializer.WEIGHT, dW);
        gradient.setGradientFor(NhwcConvParamInitializer.BIAS, db);
        return new Pair<>(gradient, dx);
    }

    @Override
    public void clear() {
        super.clear();
        preOutput = null;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no weight noise support
    }

    @Override
    public Layer clone() {
        throw new UnsupportedOperationException("NhwcConvolution2DLayer does not support clone()");
    }
}
