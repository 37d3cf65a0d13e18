package org.stylegan.core.nn;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runtime implementation of {@link UpsampleConvolution2D}.
 *
 * <p>The algebra, in one dimension (the two axes are independent). Let x have H rows, U its x2 nearest upsampling
 * (U[u] = x[u / 2]) and P = U padded by one (P[r] = U[r - 1], reflection: U[-1] = U[1] = x[0], U[2H] = U[2H - 2]
 * = x[H - 1]). Then P[r] = E[(r + 1) / 2] (integer division) where E is x padded by one with its edge rows
 * (reflection) or zeros (zero padding). Output row 2i + a of the 3x3 convolution is
 * {@code sum_t W[t] P[2i + a + t] = sum_t W[t] E[i + (a + t + 1) / 2]}, which reads only E[i + a] and E[i + a + 1]:
 * phase a = 0 with taps (W0, W1 + W2), phase a = 1 with taps (W0 + W1, W2). So with W' = (A (x) A) W, A the 4x3
 * matrix of those tap sums, the layer is one 2x2 convolution Z = conv(E, W') with 4 * cOut output channels (phase
 * (a, b) in channel block 2a + b), and y[2i + a, 2j + b] = Z[i + a, j + b, block 2a + b]. Backward runs
 * {@code conv2d_bp} on the scattered-back output gradient; dW = (A (x) A)^T dW', db = the sum of the four bias
 * gradient blocks, dx = dE with its border folded onto the edge rows and columns it copies.
 *
 * <p>Measured (bare ops, 2 threads, AVX-512, batch 1): the generator's up1 (128 -> 64 at 64 -> 128 px) forward
 * 5.6 -> 2.8 ms and conv2d_bp 16.8 -> 8.1 ms; up2 (64 -> 32 at 128 -> 256 px) forward 5.8 -> 2.7 ms and conv2d_bp
 * 21.6 -> 8.7 ms; the upsampling and padding layers (6-7 ms forward + backward at up2) disappear.
 */
public class UpsampleConvolution2DLayer extends BaseLayer<UpsampleConvolution2D> {
    private static final int NHWC = 1;
    private static final int WEIGHTS_HWIO = 0;
    /** 2x2 convolution, stride 1, no padding (E is padded explicitly). */
    private static final int[] INT_ARGS = {2, 2, 1, 1, 0, 0, 1, 1, 0, NHWC, WEIGHTS_HWIO};
    /** Row 2a + t: which 3x3 taps u add up to tap t of phase a: W0, W1 + W2 (phase 0); W0 + W1, W2 (phase 1). */
    private static final double[][] A = {{1, 0, 0}, {0, 1, 1}, {1, 1, 0}, {0, 0, 1}};
    private static final Map<DataType, INDArray> KRON = new ConcurrentHashMap<>();

    private INDArray output; // training pass with an activation: the output, whose derivative follows from it
    private INDArray phaseWeights; // W' of the last training forward pass, reused by its backward pass

    /** Creates the layer for a configuration; called by {@link UpsampleConvolution2D#instantiate}. */
    public UpsampleConvolution2DLayer(NeuralNetConfiguration conf, DataType dataType) {
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

    private INDArray checkedInput() {
        INDArray x = input;
        UpsampleConvolution2D c = layerConf();
        if (x.rank() != 4 || x.size(3) != c.getNIn()) {
            throw new IllegalArgumentException("UpsampleConvolution2D layer '" + c.getLayerName()
                    + "' expects NHWC input [batch, height, width, " + c.getNIn() + "], found shape "
                    + Arrays.toString(x.shape()));
        }
        return x.dataType() == dataType ? x : x.castTo(dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        INDArray x = checkedInput();
        UpsampleConvolution2D c = layerConf();
        long n = x.size(0);
        long h = x.size(1);
        long w = x.size(2);
        long cOut = c.getNOut();
        INDArray e = padded(x, mgr, ArrayType.FF_WORKING_MEM);
        INDArray z = BufferPool.create(mgr, ArrayType.FF_WORKING_MEM, dataType, n, h + 1, w + 1, 4 * cOut);
        INDArray wPhase = phaseWeights(mgr);
        CustomOps.exec(DynamicCustomOp.builder("conv2d").addInputs(e, wPhase, phaseBias()).addOutputs(z)
                .addIntegerArguments(INT_ARGS).build());
        INDArray out = BufferPool.create(mgr, ArrayType.ACTIVATIONS, dataType, n, 2 * h, 2 * w, cOut);
        copyPhases(z, out, true);
        output = null;
        // Kept for backward unless it lives in a DL4J workspace that closes with the forward pass.
        phaseWeights = training && mgr.isScopedOut(ArrayType.FF_WORKING_MEM) ? wPhase : null;
        IActivation act = c.getActivationFn();
        if (act instanceof ActivationIdentity) {
            return out;
        }
        INDArray y = OutputDerivative.activate(act, out, training);
        if (training) {
            output = y; // read (never written) by backward
        }
        return y;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        BufferPool.enterBackward(this);
        assertInputSet(true);
        UpsampleConvolution2D c = layerConf();
        INDArray x = checkedInput();
        long n = x.size(0);
        long h = x.size(1);
        long w = x.size(2);
        long cOut = c.getNOut();
        INDArray delta = epsilon.dataType() == dataType ? epsilon : epsilon.castTo(dataType);
        IActivation act = c.getActivationFn();
        if (!(act instanceof ActivationIdentity)) {
            if (output == null) {
                throw new IllegalStateException("UpsampleConvolution2D layer '" + c.getLayerName()
                        + "': backprop needs a training-mode forward pass first");
            }
            INDArray g = BufferPool.create(mgr, ArrayType.BP_WORKING_MEM, dataType, output.shape());
            OutputDerivative.backprop(act, output, delta, g);
            delta = g;
            output = null;
        }
        // dZ: the output gradient scattered back into the phase blocks; the row and column each phase does not use
        // (row h of phases a = 0, row 0 of phases a = 1, likewise columns) must be zero.
        INDArray dz = BufferPool.create(mgr, ArrayType.BP_WORKING_MEM, dataType, n, h + 1, w + 1, 4 * cOut);
        dz.assign(0.0);
        copyPhases(dz, delta, false);
        INDArray e = padded(x, mgr, ArrayType.BP_WORKING_MEM);
        INDArray de = BufferPool.create(mgr, ArrayType.BP_WORKING_MEM, dataType, e.shape());
        INDArray wPhase = phaseWeights != null ? phaseWeights : phaseWeights(mgr);
        phaseWeights = null;
        INDArray dwPhase = Nd4j.createUninitialized(dataType, wPhase.shape());
        INDArray dbPhase = Nd4j.createUninitialized(dataType, 4 * cOut);
        CustomOps.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(e, wPhase, phaseBias(), dz)
                .addOutputs(de, dwPhase, dbPhase).addIntegerArguments(INT_ARGS).build());

        INDArray dW = gradientViews.get(NhwcConvParamInitializer.WEIGHT);
        INDArray db = gradientViews.get(NhwcConvParamInitializer.BIAS);
        dW.assign(weightGradient(dwPhase));
        db.assign(dbPhase.reshape(4, cOut).sum(true, 0));
        INDArray dx = BufferPool.create(mgr, ArrayType.ACTIVATION_GRAD, dataType, x.shape());
        foldPadding(de, dx, c.isReflect());
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(NhwcConvParamInitializer.WEIGHT, dW);
        gradient.setGradientFor(NhwcConvParamInitializer.BIAS, db);
        return new Pair<>(gradient, dx);
    }

    /** A (x) A as a [16, 9] matrix: row (t, q, a, b), column (u, v); detached, one per data type. */
    private INDArray kron() {
        return KRON.computeIfAbsent(dataType, dt -> {
            double[][] k = new double[16][9];
            for (int t = 0; t < 2; t++) {
                for (int q = 0; q < 2; q++) {
                    for (int a = 0; a < 2; a++) {
                        for (int b = 0; b < 2; b++) {
                            for (int u = 0; u < 3; u++) {
                                for (int v = 0; v < 3; v++) {
                                    k[((t * 2 + q) * 2 + a) * 2 + b][u * 3 + v] = A[2 * a + t][u] * A[2 * b + q][v];
                                }
                            }
                        }
                    }
                }
            }
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return Nd4j.createFromArray(k).castTo(dt);
            }
        });
    }

    /**
     * W' [2 (t), 2 (q), cIn, 4 * cOut] with channel block 2a + b, from the current 3x3 weights: one product
     * (A (x) A) W giving [(t, q), (a, b), cIn, cOut], then one 4-D permuted copy (0.2 ms at 128 -> 64; a 6-D
     * permute or Java loops with ND4J's array conversions took 0.5-1.0 ms). Rebuilt per forward pass, so nothing
     * goes stale after an optimizer step.
     */
    private INDArray phaseWeights(LayerWorkspaceMgr mgr) {
        UpsampleConvolution2D c = layerConf();
        long cIn = c.getNIn();
        long cOut = c.getNOut();
        INDArray w = getParam(NhwcConvParamInitializer.WEIGHT).reshape('c', 9, cIn * cOut);
        INDArray r = Nd4j.gemm(kron(), w, false, false);
        INDArray wPhase = BufferPool.create(mgr, ArrayType.FF_WORKING_MEM, dataType, 2, 2, cIn, 4 * cOut);
        wPhase.reshape('c', 4, cIn, 4, cOut).assign(r.reshape('c', 4, 4, cIn, cOut).permute(0, 2, 1, 3));
        return wPhase;
    }

    /** dW [3, 3, cIn, cOut] = (A (x) A)^T dW', the transpose of {@link #phaseWeights}. */
    private INDArray weightGradient(INDArray dwPhase) {
        UpsampleConvolution2D c = layerConf();
        long cIn = c.getNIn();
        long cOut = c.getNOut();
        INDArray dr = Nd4j.createUninitialized(dataType, 4, 4, cIn, cOut); // [(t, q), (a, b), ci, co]
        dr.assign(dwPhase.reshape('c', 4, cIn, 4, cOut).permute(0, 2, 1, 3));
        return Nd4j.gemm(kron(), dr.reshape('c', 16, cIn * cOut), true, false).reshape('c', 3, 3, cIn, cOut);
    }

    /** The bias repeated for the four phase blocks, [4 * cOut]. */
    private INDArray phaseBias() {
        long cOut = layerConf().getNOut();
        INDArray b = getParam(NhwcConvParamInitializer.BIAS).reshape(1, cOut);
        return Nd4j.tile(b, 4, 1).reshape(4 * cOut);
    }

    /**
     * Copies between Z ([N, H+1, W+1, 4C], phase blocks) and an output-sized array ([N, 2H, 2W, C]): block 2a + b at
     * rows a..a+H-1, columns b..b+W-1 is output pixel (2i + a, 2j + b). {@code toOutput}: Z into out, else back.
     */
    private static void copyPhases(INDArray z, INDArray out, boolean toOutput) {
        long n = out.size(0);
        long h = out.size(1) / 2;
        long w = out.size(2) / 2;
        long c = out.size(3);
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                for (long i = 0; i < n; i++) {
                    INDArray o = phaseOfOutput(out, i, a, b);
                    INDArray p = phaseOfZ(z, i, a, b, h, w, c);
                    if (toOutput) {
                        o.assign(p);
                    } else {
                        p.assign(o);
                    }
                }
            }
        }
    }

    /** Output pixels (2i + a, 2j + b) of example {@code n} as an [H, W, C] view. */
    private static INDArray phaseOfOutput(INDArray out, long n, int a, int b) {
        long h = out.size(1) / 2;
        long w = out.size(2) / 2;
        long c = out.size(3);
        // [N, 2H, 2W, C] = [N, H, 2, W, 2C]: row phase a is a point on axis 2, column phase b a block of C.
        return out.reshape('c', out.size(0), h, 2, w, 2 * c)
                .get(NDArrayIndex.point(n), NDArrayIndex.all(), NDArrayIndex.point(a), NDArrayIndex.all(),
                        NDArrayIndex.interval(b * c, (b + 1) * c));
    }

    /** Block 2a + b of Z at rows a..a+H-1 and columns b..b+W-1 of example {@code n}, as an [H, W, C] view. */
    private static INDArray phaseOfZ(INDArray z, long n, int a, int b, long h, long w, long c) {
        long block = 2L * a + b;
        return z.get(NDArrayIndex.point(n), NDArrayIndex.interval(a, a + h), NDArrayIndex.interval(b, b + w),
                NDArrayIndex.interval(block * c, (block + 1) * c));
    }

    /** E: x padded by one with its edge rows and columns (reflection mode) or zeros, in a pass buffer. */
    private INDArray padded(INDArray x, LayerWorkspaceMgr mgr, ArrayType type) {
        long h = x.size(1);
        long w = x.size(2);
        INDArray e = BufferPool.create(mgr, type, dataType, x.size(0), h + 2, w + 2, x.size(3));
        INDArrayIndex all = NDArrayIndex.all();
        e.get(all, NDArrayIndex.interval(1, h + 1), NDArrayIndex.interval(1, w + 1), all).assign(x);
        INDArray top = e.get(all, NDArrayIndex.point(0), NDArrayIndex.interval(1, w + 1), all);
        INDArray bottom = e.get(all, NDArrayIndex.point(h + 1), NDArrayIndex.interval(1, w + 1), all);
        INDArray left = e.get(all, all, NDArrayIndex.point(0), all);
        INDArray right = e.get(all, all, NDArrayIndex.point(w + 1), all);
        if (layerConf().isReflect()) {
            top.assign(e.get(all, NDArrayIndex.point(1), NDArrayIndex.interval(1, w + 1), all));
            bottom.assign(e.get(all, NDArrayIndex.point(h), NDArrayIndex.interval(1, w + 1), all));
            left.assign(e.get(all, all, NDArrayIndex.point(1), all));
            right.assign(e.get(all, all, NDArrayIndex.point(w), all));
        } else {
            top.assign(0.0);
            bottom.assign(0.0);
            left.assign(0.0);
            right.assign(0.0);
        }
        return e;
    }

    /** dx from dE: the interior, plus (edge padding) the border rows and columns added onto the edges they copy. */
    private static void foldPadding(INDArray de, INDArray dx, boolean edge) {
        long h = dx.size(1);
        long w = dx.size(2);
        INDArrayIndex all = NDArrayIndex.all();
        if (edge) {
            // In place in dE (a pass buffer of this layer): rows first over the full width, so that the corners
            // reach the corner pixels through the column fold.
            de.get(all, NDArrayIndex.point(1), all, all).addi(de.get(all, NDArrayIndex.point(0), all, all));
            de.get(all, NDArrayIndex.point(h), all, all).addi(de.get(all, NDArrayIndex.point(h + 1), all, all));
            de.get(all, all, NDArrayIndex.point(1), all).addi(de.get(all, all, NDArrayIndex.point(0), all));
            de.get(all, all, NDArrayIndex.point(w), all).addi(de.get(all, all, NDArrayIndex.point(w + 1), all));
        }
        dx.assign(de.get(all, NDArrayIndex.interval(1, h + 1), NDArrayIndex.interval(1, w + 1), all));
    }

    @Override
    public void clear() {
        super.clear();
        output = null;
        phaseWeights = null;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no weight noise support
    }

    @Override
    public Layer clone() {
        throw new UnsupportedOperationException("UpsampleConvolution2DLayer does not support clone()");
    }
}
