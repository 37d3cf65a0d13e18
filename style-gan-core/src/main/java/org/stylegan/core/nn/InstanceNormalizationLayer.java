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
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ops.impl.reduce3.Dot;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
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
    private INDArray[] stats; // NHWC: per-plane values reused from call to call, see stats()
    private INDArray[] otherStats; // the previous batch size's set (a GAN step alternates two batch sizes)
    private INDArray paramCopy; // NHWC: gamma and beta, read in Java, see affineParams()
    private double[] fusedMean; // NHWC float training pass through InstanceNormKernels: per-plane mean ([N*C])
    private double[] fusedInv;  // and 1/std

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
        BufferPool.enterBackward(this);
        if (mean == null && fusedMean == null) {
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
     * NHWC forward. The input is viewed as [N, H*W, C], so a plane is a column of one example's [H*W, C] matrix:
     * the per-plane sums are matrix products with rows of ones (BLAS reads the matrix once at full speed; ND4J's
     * column reductions are 5-20x slower here). The whole-array steps run over the whole batch in one op each,
     * broadcasting [N, C] values (per-example ops on [H*W, C] views measured up to 2x slower): the centred squares
     * into a scratch buffer, then {@code y = x * A + B} with {@code A = gamma / std}, {@code B = beta - mean * A}
     * straight into the output buffer (libnd4j's batchnorm op took ~2x as long), then the activation in place. The per-plane values are
     * computed in Java: a small ND4J op costs 3-13 us, and there would be about ten of them.
     */
    private INDArray activateNhwc(INDArray x, boolean training, LayerWorkspaceMgr mgr) {
        x = Scratch.dense(x);
        fusedMean = null;
        fusedInv = null;
        INDArray out = BufferPool.create(mgr, ArrayType.ACTIVATIONS, dataType, x.shape());
        int kind = InstanceNormKernels.kind(layerConf().getActivationFn());
        if (fusedKernels && kind >= 0 && InstanceNormKernels.applies(x, out)) {
            return activateFused(x, out, kind, training);
        }
        long n = x.size(0);
        long c = x.size(3);
        long m = x.size(1) * x.size(2);
        INDArray x3 = x.reshape('c', n, m, c);
        INDArray out3 = out.reshape('c', n, m, c);
        INDArray[] st = stats(n, c);
        INDArray mu = st[0];
        INDArray inv = st[1];
        INDArray a = st[2];
        INDArray b = st[3];
        columnSums(x3, mu, 1.0 / m);
        // (x - mean)^2 in one pass (libnd4j's broadcasting squaredsubtract; sub then square took twice as long)
        INDArray centred = Scratch.matrix(0, dataType, n * m, c).reshape('c', n, m, c);
        CustomOps.exec(DynamicCustomOp.builder("squaredsubtract").addInputs(x3, mu.reshape(n, 1, c))
                .addOutputs(centred).build());
        columnSums(centred, inv, 1.0 / m);
        double[] muV = mu.data().asDouble();
        double[] invV = inv.data().asDouble();
        double eps = layerConf().getEps();
        for (int i = 0; i < invV.length; i++) {
            invV[i] = 1.0 / Math.sqrt(invV[i] + eps);
        }
        double[][] ab = scaleShift(muV, invV, affineParams(c), (int) c);
        double[] aV = ab[0];
        double[] bV = ab[1];
        inv.data().setData(invV);
        a.data().setData(aV);
        b.data().setData(bV);
        affine(x3, a, b, out3);
        INDArray y = OutputDerivative.activate(layerConf().getActivationFn(), out, training);
        if (training) {
            mean = mu;
            invStd = inv;
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
     * {@code A * (g - mean(g) - xhat * mean(g * xhat))} is rewritten per (example, channel) as {@code A*g + B*x + C}:
     * four whole-batch passes with per-(example, channel) broadcasting. The sums over a plane are products with rows of ones
     * (see activateNhwc), and mean(g * xhat) comes from sum(g * x) and sum(g). For ReLU, leaky ReLU and tanh,
     * g follows from the layer's own output y (kept from the forward pass, see OutputDerivative), which spares
     * recomputing the pre-activation; other activations recompute it.
     */
    private Pair<Gradient, INDArray> backpropNhwc(INDArray x, INDArray epsilon, LayerWorkspaceMgr mgr) {
        x = Scratch.dense(x);
        epsilon = Scratch.dense(epsilon);
        if (fusedMean != null) {
            // Forward ran through InstanceNormKernels; backward stays on ND4J ops. A Java backward (two fused passes,
            // 3x faster alone) measured no faster in the discriminator step and ~6% slower in the generator's, likely
            // because libgomp's worker falls asleep during the Java passes and the convolutions that follow pay to
            // wake it (docs/performance.md, seventh session).
            INDArray[] st = stats(x.size(0), x.size(3));
            st[0].data().setData(fusedMean);
            st[1].data().setData(fusedInv);
            mean = st[0];
            invStd = st[1];
            fusedMean = null;
            fusedInv = null;
        }
        long n = x.size(0);
        long c = x.size(3);
        long m = x.size(1) * x.size(2);
        INDArray x3 = x.reshape('c', n, m, c);
        INDArray dy = epsilon.reshape('c', n, m, c);
        INDArray dx = BufferPool.create(mgr, ArrayType.ACTIVATION_GRAD, dataType, x.shape());
        INDArray dx3 = dx.reshape('c', n, m, c);
        INDArray[] st = stats(n, c);
        INDArray a = st[2];
        INDArray bc = st[3];
        INDArray sg = st[4];
        INDArray sgx = st[5];
        double[] muV = mean.data().asDouble();
        double[] invV = invStd.data().asDouble();
        double[] gb = affineParams(c);
        IActivation act = layerConf().getActivationFn();
        INDArray g;
        if (act instanceof ActivationIdentity) {
            g = dy;
        } else if (OutputDerivative.supports(act) && output != null) {
            g = Scratch.matrix(1, dataType, n * m, c).reshape('c', n, m, c);
            OutputDerivative.backprop(act, output.reshape('c', n, m, c), dy, g);
        } else {
            // Recompute the pre-activation x * A + B into scratch (A and B as in the forward pass, which the
            // backward pass overwrites below); the activation's backprop writes g over it.
            double[][] ab = scaleShift(muV, invV, gb, (int) c);
            a.data().setData(ab[0]);
            bc.data().setData(ab[1]);
            INDArray pre = Scratch.matrix(1, dataType, n * m, c).reshape('c', n, m, c);
            affine(x3, a, bc, pre);
            g = act.backprop(pre, dy).getFirst();
        }
        INDArray prod = Scratch.matrix(0, dataType, n * m, c).reshape('c', n, m, c);
        g.mul(x3, prod);
        columnSums(g, sg, 1.0);
        columnSums(prod, sgx, 1.0);
        double[] sgV = sg.data().asDouble();
        double[] sgxV = sgx.data().asDouble();
        double[] aV = new double[muV.length];
        double[] bV = new double[muV.length];
        double[] cV = new double[muV.length];
        double[] dParams = new double[(int) (2 * c)]; // dgamma, then dbeta
        for (int i = 0; i < muV.length; i++) {
            int k = (int) (i % c);
            double sgxhat = invV[i] * (sgxV[i] - muV[i] * sgV[i]); // sum(g * xhat)
            aV[i] = gb == null ? invV[i] : gb[k] * invV[i];
            bV[i] = -aV[i] * invV[i] * sgxhat / m;
            cV[i] = -aV[i] * sgV[i] / m - bV[i] * muV[i];
            dParams[k] += sgxhat;
            dParams[(int) c + k] += sgV[i];
        }
        a.data().setData(aV);
        bc.data().setData(bV);
        sg.data().setData(cV);
        Gradient gradient = parameterGradient(dParams, c);
        affine(x3, bc, sg, prod); // B*x + C (prod is free again)
        scale(g, a, dx3);
        dx3.addi(prod);
        output = null;
        return new Pair<>(gradient, dx);
    }

    /**
     * Forward through {@link InstanceNormKernels}: float, identity / ReLU / leaky ReLU, dense arrays. Two passes
     * (per-plane sums, then scale, shift and activation into {@code out}).
     */
    private INDArray activateFused(INDArray x, INDArray out, int kind, boolean training) {
        int n = (int) x.size(0);
        int c = (int) x.size(3);
        int m = (int) (x.size(1) * x.size(2));
        double[] mu = new double[n * c];
        double[] inv = new double[n * c];
        InstanceNormKernels.stats(x, n, m, c, layerConf().getEps(), mu, inv);
        double[][] ab = scaleShift(mu, inv, affineParams(c), c);
        InstanceNormKernels.affine(x, out, n, m, c, ab[0], ab[1], kind,
                InstanceNormKernels.alpha(layerConf().getActivationFn()));
        mean = null;
        invStd = null;
        if (training) {
            fusedMean = mu;
            fusedInv = inv;
            output = out; // read (never written) by backward for the activation derivative
        } else {
            output = null;
        }
        return out;
    }

    /**
     * Per-plane scale A = gamma * inv and shift B = beta - mean * A ({@code gb}: gamma's C values then beta's, or
     * null without affine parameters), so that the normalised output is x * A + B. Returns {A, B}.
     */
    private static double[][] scaleShift(double[] mu, double[] inv, double[] gb, int c) {
        double[] a = new double[mu.length];
        double[] b = new double[mu.length];
        for (int i = 0; i < mu.length; i++) {
            int k = i % c;
            a[i] = gb == null ? inv[i] : gb[k] * inv[i];
            b[i] = (gb == null ? 0.0 : gb[c + k]) - mu[i] * a[i];
        }
        return new double[][] {a, b};
    }

    /** Writes dgamma and dbeta ({@code dParams}: gamma's C values then beta's) into the gradient views. */
    private Gradient parameterGradient(double[] dParams, long c) {
        Gradient gradient = new DefaultGradient();
        if (!layerConf().isAffine()) {
            return gradient;
        }
        INDArray dGamma = gradientViews.get(InstanceNormParamInitializer.GAMMA);
        INDArray dBeta = gradientViews.get(InstanceNormParamInitializer.BETA);
        paramCopy.data().setData(dParams); // affineParams() filled and read it; free again
        if (gradientsFlattened != null && gradientsFlattened.length() == 2 * c) {
            gradientsFlattened.assign(paramCopy.reshape(gradientsFlattened.shape())); // gamma then beta
        } else {
            dGamma.assign(paramCopy.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(0, c))
                    .reshape(dGamma.shape()));
            dBeta.assign(paramCopy.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(c, 2 * c))
                    .reshape(dBeta.shape()));
        }
        gradient.setGradientFor(InstanceNormParamInitializer.GAMMA, dGamma);
        gradient.setGradientFor(InstanceNormParamInitializer.BETA, dBeta);
        return gradient;
    }

    /**
     * out = x3 * a + b with per-(example, channel) a and b ([N, C]) broadcast over [N, M, C] arrays: the custom
     * op "multiply" with [N, 1, C] broadcasting out of place, then libnd4j's legacy broadcast add along dimensions
     * (0, 2) in place (the fastest of the variants measured; "add" in place was up to 3x slower at C = 32).
     */
    private static void affine(INDArray x3, INDArray a, INDArray b, INDArray out) {
        scale(x3, a, out);
        Nd4j.exec(new BroadcastAddOp(out, b, out, 0, 2));
    }

    /** out = x3 * a with a ([N, C]) broadcast over [N, M, C]; out must not alias x3. */
    private static void scale(INDArray x3, INDArray a, INDArray out) {
        CustomOps.exec(DynamicCustomOp.builder("multiply").addInputs(x3, a.reshape(a.size(0), 1, a.size(1)))
                .addOutputs(out).build());
    }

    /**
     * gamma then beta as doubles ([2C]), or null without affine parameters. Read through a copy that owns its
     * buffer (one small op and a bulk read, ~4 us; INDArray.toDoubleVector on the parameter views took ~30 us each).
     */
    private double[] affineParams(long c) {
        if (!layerConf().isAffine()) {
            return null;
        }
        if (paramCopy == null || paramCopy.length() != 2 * c || paramCopy.dataType() != dataType) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                paramCopy = Nd4j.create(dataType, 1, 2 * c);
            }
        }
        INDArray gamma = getParam(InstanceNormParamInitializer.GAMMA);
        INDArray beta = getParam(InstanceNormParamInitializer.BETA);
        if (paramsFlattened != null && paramsFlattened.length() == 2 * c) {
            // InstanceNormParamInitializer lays gamma then beta out side by side: one copy.
            paramCopy.assign(paramsFlattened.reshape(1, 2 * c));
        } else {
            paramCopy.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(0, c)).assign(gamma.reshape(1, c));
            paramCopy.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(c, 2 * c)).assign(beta.reshape(1, c));
        }
        return paramCopy.data().asDouble();
    }

    /**
     * out[i, :] = alpha * (sum over rows of x3[i]) for each example i of an [N, M, C] array, into an [N, C] array
     * that owns its buffer (a product into a view measured 2-3x slower). Small batches take one product with an
     * [N, N*M] block matrix of ones (one BLAS call reading x once); large ones a product per example.
     */
    private void columnSums(INDArray x3, INDArray out, double alpha) {
        long n = x3.size(0);
        long m = x3.size(1);
        long c = x3.size(2);
        DataType type = x3.dataType();
        if (n == 1) {
            Nd4j.gemm(Scratch.ones(type, m), x3.reshape('c', m, c), out, false, false, alpha, 0.0);
        } else if (n * n * m <= blockOnesLimit) {
            Nd4j.gemm(Scratch.blockOnes(type, n, m), x3.reshape('c', n * m, c), out, false, false, alpha, 0.0);
        } else {
            INDArray row = Scratch.row(type, c);
            for (long i = 0; i < n; i++) {
                Nd4j.gemm(Scratch.ones(type, m), x3.slice(i), row, false, false, alpha, 0.0);
                out.getRow(i).assign(row);
            }
        }
    }

    /**
     * Whether float NHWC passes with identity / ReLU / leaky ReLU use {@link InstanceNormKernels}. Per layer, so a
     * test can compare both paths on one layer without changing any other.
     */
    boolean fusedKernels = true;

    /** Largest block matrix of ones (elements) columnSums builds: 16 MB of floats. Per layer; tests lower it. */
    long blockOnesLimit = 1L << 22;

    /**
     * The layer's six [N, C] arrays of per-plane values (0 mean, 1 1/std, 2 scale A, 3 shift B, 4 and 5 backward
     * values), kept from call to call: a forward pass fills 0 and 1, which backward reads.
     */
    private INDArray[] stats(long n, long c) {
        if (fits(stats, n, c)) {
            return stats;
        }
        // Two sets are kept: a GAN step runs the discriminator at two batch sizes (real + generated, then generated
        // alone), which re-created the six arrays on every pass. mean and invStd belong to the set being left.
        INDArray[] previous = stats;
        if (fits(otherStats, n, c)) {
            stats = otherStats;
        } else {
            stats = new INDArray[6];
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                for (int i = 0; i < stats.length; i++) {
                    stats[i] = Nd4j.create(dataType, n, c);
                }
            }
            if (otherStats != null) {
                for (INDArray a : otherStats) {
                    a.close();
                }
            }
        }
        otherStats = previous;
        mean = null;
        invStd = null;
        return stats;
    }

    private boolean fits(INDArray[] set, long n, long c) {
        return set != null && set[0].size(0) == n && set[0].size(1) == c && set[0].dataType() == dataType;
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
        fusedMean = null;
        fusedInv = null;
        mean = null;
        invStd = null;
        output = null;
        // stats stays: six small per-layer buffers, reused by the next pass (re-creating them after every step made
        // 90 native allocations per generator step that only the garbage collector freed)
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
