package org.stylegan.core.nn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runtime implementation of {@link InstanceNormalization}: forward and backward written with whole-array ND4J ops.
 *
 * <p>Backward, per (n, c) plane of M = H*W values, with xhat the normalised input and g = dL/dy * gamma:
 * {@code dx = (g - mean(g) - xhat * mean(g * xhat)) / std}, {@code dgamma = sum(dL/dy * xhat)},
 * {@code dbeta = sum(dL/dy)} (sums over N, H, W). DL4J epsilons are per example, so parameter gradients are sums
 * over the batch, like every DL4J layer.
 *
 * <p>Speed: the input is viewed as an [N*C, H*W] matrix so that every step is a row reduction or a column-vector
 * broadcast, the fast loops of libnd4j (ND4J's general {@code Broadcast} ops over dimensions (0, 1) of a 4-D array
 * and its {@code var} reduction measured ~10x slower). The variance is the exact two-pass form: the centred input
 * is written into the output buffer and its row norms give the variance, so normalisation, scale, shift and the
 * fused activation all run in place in that buffer. A training pass keeps only the per-plane mean and 1/std;
 * backward recomputes xhat from the layer input, which DL4J keeps anyway.
 */
public class InstanceNormalizationLayer extends BaseLayer<InstanceNormalization> {
    private INDArray mean;   // [N*C, 1] (NCHW) or [N, C] (NHWC), kept from a training forward pass
    private INDArray invStd; // same shape
    private INDArray output; // NHWC training pass: the layer's output, for the ReLU mask in backward

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
        boolean nhwc = layerConf().getDataFormat() == CNN2DFormat.NHWC;
        if (x.rank() != 4) {
            throw new IllegalArgumentException("InstanceNormalization layer '" + layerConf().getLayerName()
                    + "' expects " + layerConf().getDataFormat() + " input of rank 4, found shape "
                    + java.util.Arrays.toString(x.shape()));
        }
        long c = x.size(nhwc ? 3 : 1);
        if (c != layerConf().getNOut()) {
            throw new IllegalArgumentException("InstanceNormalization layer '" + layerConf().getLayerName()
                    + "' has " + layerConf().getNOut() + " channels, input has " + c);
        }
        if (x.dataType() != dataType) {
            x = x.castTo(dataType);
        }
        if (nhwc) {
            return activateNhwc(x, training, mgr);
        }
        long n = x.size(0);
        long m = x.size(2) * x.size(3);
        INDArray x2 = x.reshape('c', n * c, m);
        INDArray mu = x2.mean(true, 1);
        INDArray out = BufferPool.create(mgr, ArrayType.ACTIVATIONS, dataType, x.shape());
        INDArray out2 = out.reshape('c', n * c, m);
        x2.sub(mu, out2);
        INDArray norm = out2.norm2(true, 1);
        INDArray inv = norm.muli(norm).divi(m).addi(layerConf().getEps());
        Transforms.sqrt(inv, false).rdivi(1.0);
        if (training) {
            // Detached: backward runs after the forward pass's workspace scope is gone.
            mean = mu.detach();
            invStd = inv.detach();
        } else {
            mean = null;
            invStd = null;
        }
        if (layerConf().isAffine()) {
            out2.muliColumnVector(inv.mul(gammaColumn(n)));
            out2.addiColumnVector(betaColumn(n));
        } else {
            out2.muliColumnVector(inv);
        }
        return layerConf().getActivationFn().getActivation(out, training);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        if (mean == null) {
            throw new IllegalStateException("InstanceNormalization layer '" + layerConf().getLayerName()
                    + "': backprop needs a training-mode forward pass first");
        }
        boolean affine = layerConf().isAffine();
        INDArray x = input.dataType() == dataType ? input : input.castTo(dataType);
        if (layerConf().getDataFormat() == CNN2DFormat.NHWC) {
            return backpropNhwc(x, epsilon.dataType() == dataType ? epsilon : epsilon.castTo(dataType), mgr);
        }
        long n = x.size(0);
        long c = x.size(1);
        long m = x.size(2) * x.size(3);
        INDArray dy = (epsilon.dataType() == dataType ? epsilon : epsilon.castTo(dataType)).reshape('c', n * c, m);

        // dx starts as xhat, recomputed from the input.
        INDArray dx = BufferPool.create(mgr, ArrayType.ACTIVATION_GRAD, dataType, x.shape());
        INDArray xhat = dx.reshape('c', n * c, m);
        x.reshape('c', n * c, m).sub(mean, xhat);
        xhat.muliColumnVector(invStd);

        // Through the fused activation (its input is the pre-activation, recomputed from xhat).
        INDArray gamma = affine ? gammaColumn(n) : null;
        if (!(layerConf().getActivationFn() instanceof org.nd4j.linalg.activations.impl.ActivationIdentity)) {
            INDArray pre = affine ? xhat.mulColumnVector(gamma).addiColumnVector(betaColumn(n)) : xhat.dup();
            dy = layerConf().getActivationFn().backprop(pre, dy).getFirst();
        }

        INDArray sumDy = dy.sum(true, 1);                   // [N*C, 1]
        // Row-wise dot product (reduce3): no [N*C, M] product array, ~4x faster than mul + sum at 128x64x64.
        INDArray sumDyXhat = Nd4j.getExecutioner().exec(new Dot(dy, xhat, 1)).reshape(n * c, 1);

        Gradient gradient = new DefaultGradient();
        if (affine) {
            INDArray dGamma = gradientViews.get(InstanceNormParamInitializer.GAMMA);
            INDArray dBeta = gradientViews.get(InstanceNormParamInitializer.BETA);
            dGamma.assign(sumDyXhat.reshape(n, c).sum(0).reshape(dGamma.shape()));
            dBeta.assign(sumDy.reshape(n, c).sum(0).reshape(dBeta.shape()));
            gradient.setGradientFor(InstanceNormParamInitializer.GAMMA, dGamma);
            gradient.setGradientFor(InstanceNormParamInitializer.BETA, dBeta);
        }

        // dx = (dy - mean(dy) - xhat * mean(dy * xhat)) * gamma / std, in place over xhat.
        INDArray scale = affine ? invStd.mul(gamma) : invStd;
        xhat.muliColumnVector(sumDyXhat.divi(-m));
        xhat.addi(dy);
        xhat.subiColumnVector(sumDy.divi(m));
        xhat.muliColumnVector(scale);
        return new Pair<>(gradient, dx);
    }

    /**
     * NHWC forward. Per example the input is an [H*W, C] matrix and a plane is a column, so the per-plane sums are
     * one matrix product with a row of ones (BLAS reads the matrix once at full speed; ND4J's column reductions
     * are 5-20x slower here), the centred squares go through a reused scratch buffer, and libnd4j's
     * {@code batchnorm} op (oneDNN) applies mean, variance, scale and shift in one pass.
     */
    private INDArray activateNhwc(INDArray x, boolean training, LayerWorkspaceMgr mgr) {
        x = Scratch.dense(x);
        long n = x.size(0);
        long c = x.size(3);
        long m = x.size(1) * x.size(2);
        boolean affine = layerConf().isAffine();
        double eps = layerConf().getEps();
        INDArray out = BufferPool.create(mgr, ArrayType.ACTIVATIONS, dataType, x.shape());
        INDArray ones = Scratch.ones(dataType, m);
        INDArray centred = Scratch.matrix(0, dataType, m, c);
        INDArray means = Nd4j.createUninitialized(dataType, n, c);
        INDArray inv = Nd4j.createUninitialized(dataType, n, c);
        for (long i = 0; i < n; i++) {
            INDArray xi = x.slice(i).reshape('c', m, c);
            INDArray mu = means.getRow(i, true);
            Nd4j.gemm(ones, xi, mu, false, false, 1.0 / m, 0.0);
            // (x - mean)^2 in one pass (libnd4j's broadcasting squaredsubtract; sub then square took twice as long)
            Nd4j.exec(DynamicCustomOp.builder("squaredsubtract").addInputs(xi, mu).addOutputs(centred).build());
            INDArray var = inv.getRow(i, true);
            Nd4j.gemm(ones, centred, var, false, false, 1.0 / m, 0.0);
            // batchnorm(x, mean, variance, [gamma], [beta]; applyScale, applyOffset, axis 3; eps)
            INDArray xi4 = x.slice(i, 0).reshape('c', 1, x.size(1), x.size(2), c);
            INDArray[] in = affine
                    ? new INDArray[] {xi4, mu.reshape(c), var.reshape(c),
                            getParam(InstanceNormParamInitializer.GAMMA).reshape(c),
                            getParam(InstanceNormParamInitializer.BETA).reshape(c)}
                    : new INDArray[] {xi4, mu.reshape(c), var.reshape(c)};
            Nd4j.exec(DynamicCustomOp.builder("batchnorm").addInputs(in)
                    .addOutputs(out.slice(i, 0).reshape('c', 1, x.size(1), x.size(2), c))
                    .addIntegerArguments(affine ? 1 : 0, affine ? 1 : 0, 3).addFloatingPointArguments(eps).build());
        }
        INDArray y = OutputDerivative.activate(layerConf().getActivationFn(), out, training);
        if (training) {
            Transforms.sqrt(inv.addi(eps), false).rdivi(1.0);
            mean = means.detach();
            invStd = inv.detach();
            // Read (never written) by backward for the activation derivative; valid as long as the pass lives.
            output = y;
        } else {
            mean = null;
            invStd = null;
            output = null;
        }
        return y;
    }

    /**
     * NHWC backward. With g = dL/d(pre-activation), xhat = (x - mu) * inv and A = gamma * inv, the input gradient
     * {@code A * (g - mean(g) - xhat * mean(g * xhat))} is rewritten per channel as {@code A*g + B*x + C}, so
     * that it takes two whole-array passes instead of six; the sums over a plane are products with a row of
     * ones (see activateNhwc), and mean(g * xhat) comes from sum(g * x) and sum(g). For ReLU, leaky ReLU and tanh,
     * g follows from the layer's own output y (kept from the forward pass, see OutputDerivative), which spares
     * recomputing the pre-activation; other activations recompute it.
     */
    private Pair<Gradient, INDArray> backpropNhwc(INDArray x, INDArray epsilon, LayerWorkspaceMgr mgr) {
        x = Scratch.dense(x);
        boolean affine = layerConf().isAffine();
        long n = x.size(0);
        long c = x.size(3);
        long m = x.size(1) * x.size(2);
        INDArray ones = Scratch.ones(dataType, m);
        INDArray dx = BufferPool.create(mgr, ArrayType.ACTIVATION_GRAD, dataType, x.shape());
        INDArray gamma = affine ? getParam(InstanceNormParamInitializer.GAMMA) : Nd4j.ones(dataType, 1, c);
        INDArray beta = affine ? getParam(InstanceNormParamInitializer.BETA) : Nd4j.zeros(dataType, 1, c);
        IActivation act = layerConf().getActivationFn();
        boolean identity = act instanceof ActivationIdentity;
        boolean fromOutput = OutputDerivative.supports(act) && output != null;
        INDArray sumG = Nd4j.createUninitialized(dataType, n, c);
        INDArray sumGXhat = Nd4j.createUninitialized(dataType, n, c);
        for (long i = 0; i < n; i++) {
            INDArray xi = x.slice(i).reshape('c', m, c);
            INDArray dyi = epsilon.slice(i).reshape('c', m, c);
            INDArray mu = mean.getRow(i, true);
            INDArray inv = invStd.getRow(i, true);
            INDArray g;
            if (identity) {
                g = dyi;
            } else if (fromOutput) {
                g = Scratch.matrix(1, dataType, m, c);
                OutputDerivative.backprop(act, output.slice(i).reshape('c', m, c), dyi, g);
            } else {
                INDArray pre = Scratch.matrix(1, dataType, m, c);
                xi.sub(mu, pre).muliRowVector(inv.mul(gamma)).addiRowVector(beta);
                g = act.backprop(pre, dyi).getFirst(); // writes into pre
            }
            INDArray sg = sumG.getRow(i, true);
            INDArray sgx = sumGXhat.getRow(i, true);
            INDArray prod = Scratch.matrix(0, dataType, m, c);
            g.mul(xi, prod);
            Nd4j.gemm(ones, g, sg, false, false, 1.0, 0.0);
            Nd4j.gemm(ones, prod, sgx, false, false, 1.0, 0.0);
            sgx.subi(mu.mul(sg)).muli(inv); // sum(g * xhat) = inv * (sum(g * x) - mu * sum(g))
            INDArray a = inv.mul(gamma);
            INDArray b = a.mul(inv).muli(sgx).divi(-m);
            INDArray cc = a.mul(sg).divi(-m).subi(b.mul(mu));
            INDArray dxi = dx.slice(i).reshape('c', m, c);
            xi.mul(b, dxi);
            dxi.addiRowVector(cc);
            if (g == dyi) {
                INDArray ag = Scratch.matrix(1, dataType, m, c);
                dyi.mul(a, ag);
                dxi.addi(ag);
            } else {
                dxi.addi(g.muliRowVector(a));
            }
        }
        output = null;
        Gradient gradient = new DefaultGradient();
        if (affine) {
            INDArray dGamma = gradientViews.get(InstanceNormParamInitializer.GAMMA);
            INDArray dBeta = gradientViews.get(InstanceNormParamInitializer.BETA);
            dGamma.assign(sumGXhat.sum(true, 0));
            dBeta.assign(sumG.sum(true, 0));
            gradient.setGradientFor(InstanceNormParamInitializer.GAMMA, dGamma);
            gradient.setGradientFor(InstanceNormParamInitializer.BETA, dBeta);
        }
        return new Pair<>(gradient, dx);
    }

    /** Returns gamma as an [N*C, 1] column (repeated per example). */
    private INDArray gammaColumn(long n) {
        return perPlane(getParam(InstanceNormParamInitializer.GAMMA), n);
    }

    /** Returns beta as an [N*C, 1] column (repeated per example). */
    private INDArray betaColumn(long n) {
        return perPlane(getParam(InstanceNormParamInitializer.BETA), n);
    }

    private static INDArray perPlane(INDArray param, long n) {
        long c = param.length();
        INDArray row = param.reshape(1, c);
        return (n == 1 ? row : Nd4j.tile(row, (int) n, 1)).reshape(n * c, 1);
    }

    @Override
    public void clear() {
        super.clear();
        mean = null;
        invStd = null;
        output = null;
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
