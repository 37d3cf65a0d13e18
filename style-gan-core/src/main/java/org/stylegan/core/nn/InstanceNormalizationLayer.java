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
    private INDArray std;  // [N*C, 1]
    private INDArray preAct; // pre-activation output, kept only for non-identity fused activations

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
        long n = x.size(0);
        long c = x.size(1);
        long m = x.size(2) * x.size(3);
        if (c != layerConf().getNOut()) {
            throw new IllegalArgumentException("InstanceNormalization layer '" + layerConf().getLayerName()
                    + "' has " + layerConf().getNOut() + " channels, input has " + c);
        }
        if (x.dataType() != dataType) {
            x = x.castTo(dataType);
        }
        // Work on [N*C, H*W] rows: row reductions and column-vector broadcasts are ND4J's fast paths
        // (reducing a 4D array over dims 2,3 was ~10x slower than the 2D row reduction).
        INDArray x2 = x.reshape('c', n * c, m);
        INDArray mean = x2.mean(1).reshape(n * c, 1);
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
        INDArray o2 = out.reshape('c', n * c, m);
        o2.assign(x2).subiColumnVector(mean);
        INDArray s = o2.norm2(1).reshape(n * c, 1);
        s.muli(s).divi(m).addi(layerConf().getEps());
        Transforms.sqrt(s, false);
        if (training) {
            std = s;
        }
        if (training) {
            // Keep xhat before the affine step (never recovered by dividing by gamma, which may be ~0).
            o2.diviColumnVector(s);
            xHat = out.dup();
            if (layerConf().isAffine()) {
                o2.muliColumnVector(perRow(gammaVector(), n)).addiColumnVector(perRow(betaVector(), n));
            }
        } else if (layerConf().isAffine()) {
            // y = xc * (gamma / std) + beta: one scale pass instead of a divide and a multiply.
            o2.muliColumnVector(perRow(gammaVector(), n).divi(s)).addiColumnVector(perRow(betaVector(), n));
        } else {
            o2.diviColumnVector(s);
        }
        if (!training) {
            xHat = null;
            std = null;
            preAct = null;
        } else if (!isIdentityActivation()) {
            preAct = out.dup();
        } else {
            preAct = null;
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
        long n = xHat.size(0);
        long c = xHat.size(1);
        long m = xHat.size(2) * xHat.size(3);
        INDArray dy = epsilon.dataType() == dataType ? epsilon : epsilon.castTo(dataType);
        if (preAct != null) {
            // The activation may overwrite its input; preAct is not needed afterwards.
            dy = layerConf().getActivationFn().backprop(preAct, dy).getFirst();
        }
        INDArray dy2 = dy.reshape('c', n * c, m);
        INDArray xh2 = xHat.reshape('c', n * c, m);
        INDArray sumDy = dy2.sum(1).reshape(n * c, 1);
        INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, xHat.shape(), 'c');
        INDArray dx2 = dx.reshape('c', n * c, m);
        dx2.assign(dy2).muli(xh2);
        INDArray sumDyXhat = dx2.sum(1).reshape(n * c, 1);

        Gradient gradient = new DefaultGradient();
        if (affine) {
            INDArray dGamma = gradientViews.get(InstanceNormParamInitializer.GAMMA);
            INDArray dBeta = gradientViews.get(InstanceNormParamInitializer.BETA);
            dGamma.assign(sumDyXhat.reshape(n, c).sum(0).reshape(dGamma.shape()));
            dBeta.assign(sumDy.reshape(n, c).sum(0).reshape(dBeta.shape()));
            gradient.setGradientFor(InstanceNormParamInitializer.GAMMA, dGamma);
            gradient.setGradientFor(InstanceNormParamInitializer.BETA, dBeta);
        }

        // dx = scale * (dy - mean(dy) - xhat * mean(dy * xhat)), scale = gamma / std, per row
        INDArray scale = affine ? perRow(gammaVector(), n).divi(std) : std.rdiv(1.0);
        dx2.assign(xh2).muliColumnVector(sumDyXhat.divi(-m));
        dx2.addi(dy2).subiColumnVector(sumDy.divi(m)).muliColumnVector(scale);
        return new Pair<>(gradient, dx);
    }

    private boolean isIdentityActivation() {
        return layerConf().getActivationFn() instanceof org.nd4j.linalg.activations.impl.ActivationIdentity;
    }

    /** Repeats a per-channel vector [C] for every example: [N*C, 1], row n*C + c holding v[c]. */
    private static INDArray perRow(INDArray v, long n) {
        long c = v.length();
        return v.reshape(1, c).repeat(0, n).reshape(n * c, 1);
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
        preAct = null;
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
