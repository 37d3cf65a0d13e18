package org.stylegan.core.nn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runtime implementation of {@link InstanceNormalization}: forward and backward written with whole-array ND4J ops.
 *
 * <p>Backward, per (n, c) plane of M = H*W values, with xhat the normalised input and g = dL/dy * gamma:
 * {@code dx = (g - mean(g) - xhat * mean(g * xhat)) / std}, {@code dgamma = sum(dL/dy * xhat)},
 * {@code dbeta = sum(dL/dy)} (sums over N, H, W). DL4J epsilons are per example, so parameter gradients are sums
 * over the batch, like every DL4J layer.
 */
public class InstanceNormalizationLayer extends BaseLayer<InstanceNormalization> {
    private INDArray xHat; // [N, C, H, W], kept from a training forward pass
    private INDArray std;  // [N, C]

    /** Creates the layer for a configuration; called by {@link InstanceNormalization#instantiate}. */
    public InstanceNormalizationLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.NORMALIZATION;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        INDArray x = input;
        if (x.rank() != 4) {
            throw new IllegalArgumentException("InstanceNormalization layer '" + layerConf().getLayerName()
                    + "' expects NCHW input of rank 4, found shape " + java.util.Arrays.toString(x.shape()));
        }
        long c = x.size(1);
        if (c != layerConf().getNOut()) {
            throw new IllegalArgumentException("InstanceNormalization layer '" + layerConf().getLayerName()
                    + "' has " + layerConf().getNOut() + " channels, input has " + c);
        }
        if (x.dataType() != dataType) {
            x = x.castTo(dataType);
        }
        INDArray mean = x.mean(2, 3);
        INDArray s = x.var(false, 2, 3).addi(layerConf().getEps());
        Transforms.sqrt(s, false);
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
        Broadcast.sub(x, mean, out, 0, 1);
        Broadcast.div(out, s, out, 0, 1);
        if (training) {
            // Detached copies: backward needs xhat and std after the forward workspace scope is gone.
            xHat = out.dup();
            std = s;
        } else {
            xHat = null;
            std = null;
        }
        if (layerConf().isAffine()) {
            Broadcast.mul(out, gammaVector(), out, 1);
            Broadcast.add(out, betaVector(), out, 1);
        }
        return layerConf().getActivationFn().getActivation(out, training);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        if (xHat == null) {
            throw new IllegalStateException("InstanceNormalization layer '" + layerConf().getLayerName()
                    + "': backprop needs a training-mode forward pass first");
        }
        boolean affine = layerConf().isAffine();
        INDArray dy = epsilon.dataType() == dataType ? epsilon : epsilon.castTo(dataType);

        // Through the fused activation: recompute its input (pre-activation) from xhat.
        INDArray pre = xHat.dup();
        if (affine) {
            Broadcast.mul(pre, gammaVector(), pre, 1);
            Broadcast.add(pre, betaVector(), pre, 1);
        }
        dy = layerConf().getActivationFn().backprop(pre, dy).getFirst();

        long m = xHat.size(2) * xHat.size(3);
        INDArray dyXhat = dy.mul(xHat);
        INDArray sumDyXhat = dyXhat.sum(2, 3); // [N, C]
        INDArray sumDy = dy.sum(2, 3);         // [N, C]

        Gradient gradient = new DefaultGradient();
        if (affine) {
            INDArray dGamma = gradientViews.get(InstanceNormParamInitializer.GAMMA);
            INDArray dBeta = gradientViews.get(InstanceNormParamInitializer.BETA);
            dGamma.assign(sumDyXhat.sum(0).reshape(dGamma.shape()));
            dBeta.assign(sumDy.sum(0).reshape(dBeta.shape()));
            gradient.setGradientFor(InstanceNormParamInitializer.GAMMA, dGamma);
            gradient.setGradientFor(InstanceNormParamInitializer.BETA, dBeta);
        }

        // scale[n, c] = gamma[c] / std[n, c]
        INDArray scale = affine ? Broadcast.mul(std.rdiv(1.0), gammaVector(), std.ulike(), 1) : std.rdiv(1.0);
        INDArray meanDy = sumDy.divi(m);
        INDArray negMeanDyXhat = sumDyXhat.divi(-m);
        INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, xHat.shape(), 'c');
        Broadcast.mul(xHat, negMeanDyXhat, dx, 0, 1);
        dx.addi(dy);
        Broadcast.sub(dx, meanDy, dx, 0, 1);
        Broadcast.mul(dx, scale, dx, 0, 1);
        return new Pair<>(gradient, dx);
    }

    private INDArray gammaVector() {
        INDArray g = getParam(InstanceNormParamInitializer.GAMMA);
        return g.reshape(g.length());
    }

    private INDArray betaVector() {
        INDArray b = getParam(InstanceNormParamInitializer.BETA);
        return b.reshape(b.length());
    }

    @Override
    public void clear() {
        super.clear();
        xHat = null;
        std = null;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no weight noise support
    }

    @Override
    public Layer clone() {
        throw new UnsupportedOperationException("InstanceNormalizationLayer does not support clone()");
    }
}
