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
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runtime implementation of {@link NhwcConvolution2D}: one libnd4j {@code conv2d} forward, one {@code conv2d_bp}
 * backward, writing the weight and bias gradients straight into the layer's gradient views (no copies).
 *
 * <p>Convolutions with very few output channels (the generator's RGB output) take a polyphase path instead; see
 * {@link Polyphase}. Convolutions with very few input channels (the first layer of each network, on an RGB image)
 * compute their backward pass from forward convolutions and one matrix product; see {@link SmallInputBackward}.
 */
public class NhwcConvolution2DLayer extends BaseLayer<NhwcConvolution2D> {
    private static final int NHWC = 1;
    private static final int WEIGHTS_HWIO = 0;
    /** Output channels up to which the polyphase path is used (see {@link Polyphase#factor}). */
    private static final int MAX_OUT_CHANNELS = 4;
    /** Multiply-adds below which the polyphase path costs more than it saves (see {@link Polyphase#factor}). */
    private static final long MIN_WORK = 1L << 23;
    private INDArray preOutput;
    private INDArray output; // training pass: the layer's output, for activation derivatives that follow from it
    private boolean inputGradientOnly;
    private boolean parameterGradientOnly;
    /** For tests and probes: -1 chooses automatically, 1 forces the direct path, s >= 2 forces phase factor s. */
    int phaseOverride = -1;
    /**
     * For tests and probes: -1 chooses automatically, 0 never takes the few-input-channel paths
     * ({@link SmallInputBackward}), 1 takes them wherever they apply, whatever the size.
     */
    int smallInputOverride = -1;

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

    /** libnd4j's conv2d integer arguments for a kernel, stride and padding (dilation 1, explicit padding). */
    private static int[] intArgs(int[] k, int[] s, int[] p) {
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
        return Scratch.dense(x);
    }

    private long[] outputShape(INDArray x) {
        NhwcConvolution2D c = layerConf();
        return new long[] {x.size(0), c.outputSize(x.size(1), 0), c.outputSize(x.size(2), 1), c.getNOut()};
    }

    /** The phase factor for this call: 1 for the direct path. */
    private int phaseFactor(long[] outShape) {
        if (phaseOverride >= 1) {
            if (outShape[1] % phaseOverride != 0 || outShape[2] % phaseOverride != 0) {
                throw new IllegalStateException("phase factor " + phaseOverride + " does not divide the output "
                        + outShape[1] + "x" + outShape[2]);
            }
            return phaseOverride;
        }
        return Polyphase.factor(layerConf(), outShape[0], outShape[1], outShape[2]);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        INDArray x = checkedInput();
        NhwcConvolution2D c = layerConf();
        long[] shape = outputShape(x);
        INDArray out = BufferPool.create(mgr, ArrayType.ACTIVATIONS, dataType, shape);
        INDArray w = getParam(NhwcConvParamInitializer.WEIGHT);
        INDArray b = getParam(NhwcConvParamInitializer.BIAS).reshape(c.getNOut());
        int s = phaseFactor(shape);
        if (s > 1) {
            new Polyphase(c, s, w).forward(x, b, out, mgr);
        } else {
            CustomOps.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w, b).addOutputs(out)
                    .addIntegerArguments(intArgs(c.getKernel(), c.getStride(), c.getPadding())).build());
        }
        preOutput = null;
        output = null;
        IActivation act = c.getActivationFn();
        if (act instanceof ActivationIdentity) {
            return out;
        }
        if (training && !derivativeFromOutput(act)) {
            // Kept for backward: a pass buffer without workspaces (TrainableGraph), else detached, since a workspace
            // array would not outlive the forward pass.
            preOutput = mgr.isScopedOut(ArrayType.FF_WORKING_MEM)
                    ? BufferPool.create(mgr, ArrayType.FF_WORKING_MEM, dataType, out.shape()).assign(out)
                    : out.dup().detach();
        }
        INDArray y = OutputDerivative.activate(act, out, training);
        if (training && derivativeFromOutput(act)) {
            // ReLU, leaky ReLU and tanh derivatives follow from the output, which backward reads (never writes):
            // no copy of the pre-activation.
            output = y;
        }
        return y;
    }

    private static boolean derivativeFromOutput(IActivation act) {
        return OutputDerivative.supports(act);
    }

    /** dL/d(pre-activation) from dL/dy and the output y, into a pass buffer. */
    private INDArray backpropFromOutput(IActivation act, INDArray y, INDArray dy, LayerWorkspaceMgr mgr) {
        INDArray g = BufferPool.create(mgr, ArrayType.BP_WORKING_MEM, dataType, y.shape());
        OutputDerivative.backprop(act, y, dy, g);
        return g;
    }

    /**
     * Makes backward compute only the input gradient (for networks whose parameters are frozen at that moment: the
     * feature extractor, a discriminator during the generator's step). The parameter gradient views are then left
     * as they are. Where possible the input gradient comes from one transposed convolution ({@code deconv2d}),
     * about half the cost of {@code conv2d_bp}; with at most 4 input channels from
     * {@link SmallInputBackward#inputGradient}, cheaper still.
     */
    public void setInputGradientOnly(boolean inputGradientOnly) {
        this.inputGradientOnly = inputGradientOnly;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        BufferPool.enterBackward(this);
        assertInputSet(true);
        NhwcConvolution2D c = layerConf();
        INDArray x = checkedInput();
        INDArray delta = epsilon.dataType() == dataType ? epsilon : epsilon.castTo(dataType);
        IActivation act = c.getActivationFn();
        if (output != null && derivativeFromOutput(act)) {
            delta = backpropFromOutput(act, output, delta, mgr);
            output = null;
        } else if (!(act instanceof ActivationIdentity)) {
            if (preOutput == null) {
                throw new IllegalStateException("NhwcConvolution2D layer '" + c.getLayerName()
                        + "': backprop needs a training-mode forward pass first");
            }
            // backprop writes into its first argument, which is ours.
            delta = c.getActivationFn().backprop(preOutput, delta).getFirst();
            preOutput = null;
        } else {
            delta = Scratch.dense(delta);
        }
        INDArray dx = BufferPool.create(mgr, ArrayType.ACTIVATION_GRAD, dataType, x.shape());
        INDArray dW = gradientViews.get(NhwcConvParamInitializer.WEIGHT);
        INDArray db = gradientViews.get(NhwcConvParamInitializer.BIAS).reshape(c.getNOut());
        INDArray w = getParam(NhwcConvParamInitializer.WEIGHT);
        INDArray b = getParam(NhwcConvParamInitializer.BIAS).reshape(c.getNOut());
        int s = phaseFactor(delta.shape());
        // Few input channels (an RGB image): forward convolutions and a matrix product instead of conv2d_bp.
        boolean small = s == 1 && c.getNIn() <= SmallInputBackward.MAX_IN_CHANNELS && (smallInputOverride == 1
                || smallInputOverride == -1
                && SmallInputBackward.pays(c, delta.shape(), !inputGradientOnly && !parameterGradientOnly));
        boolean smallDx = small && SmallInputBackward.inputGradientApplies(c);
        if (inputGradientOnly && smallDx) {
            SmallInputBackward.inputGradient(c, w, delta, dx, mgr);
            return new Pair<>(new DefaultGradient(), dx);
        }
        if (inputGradientOnly && s == 1 && deconvGivesInputShape(x)) {
            // dx alone: the transposed convolution of delta with the same weights ([kH, kW, cIn, cOut] read as
            // deconv2d's [kH, kW, oC, iC]).
            CustomOps.exec(DynamicCustomOp.builder("deconv2d").addInputs(delta, w).addOutputs(dx)
                    .addIntegerArguments(intArgs(c.getKernel(), c.getStride(), c.getPadding())).build());
            return new Pair<>(new DefaultGradient(), dx);
        }
        if (parameterGradientOnly && s == 1 && (small || correlationApplies(x))) {
            weightGradient(x, delta, dW, db, mgr);
            dx.assign(0.0); // not wanted by the caller; zeros keep DL4J's backward pass well-defined
        } else if (s > 1) {
            new Polyphase(c, s, w).backward(x, b, delta, dx, dW, db, mgr);
        } else if (smallDx) {
            SmallInputBackward.inputGradient(c, w, delta, dx, mgr);
            weightGradient(x, delta, dW, db, mgr);
        } else {
            CustomOps.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, b, delta).addOutputs(dx, dW, db)
                    .addIntegerArguments(intArgs(c.getKernel(), c.getStride(), c.getPadding())).build());
        }
        Gradient gradient = new DefaultGradient();
        gradient.setGradientFor(NhwcConvParamInitializer.WEIGHT, gradientViews.get(NhwcConvParamInitializer.WEIGHT));
        gradient.setGradientFor(NhwcConvParamInitializer.BIAS, gradientViews.get(NhwcConvParamInitializer.BIAS));
        return new Pair<>(gradient, dx);
    }

    /**
     * Makes backward skip the input gradient (for a first layer whose input is the network's image, when the caller
     * needs parameter gradients only): it then returns zeros as the input gradient. A convolution with few input
     * channels, stride 1 and no zero padding (the generator's first, 3 -> 32 9x9) gets its weight gradient from one
     * forward {@code conv2d} with batch and channels swapped (measured 7.3 ms against 21.9 ms for {@code conv2d_bp},
     * whose 3-channel input gradient is the slow part); other convolutions with at most 4 input channels (the
     * discriminator's 4x4 stride 2 first layer) use {@link SmallInputBackward#weightGradient}.
     */
    public void setParameterGradientOnly(boolean parameterGradientOnly) {
        this.parameterGradientOnly = parameterGradientOnly;
    }

    /**
     * dW and db without dx, for few input channels or stride 1 and no padding: the correlation below where it
     * applies (G's 3 -> 32 9x9: 7.3 ms), else {@link SmallInputBackward#weightGradient}.
     */
    private void weightGradient(INDArray x, INDArray delta, INDArray dW, INDArray db, LayerWorkspaceMgr mgr) {
        if (correlationApplies(x)) {
            weightGradientByCorrelation(x, delta, dW, db, mgr);
        } else {
            SmallInputBackward.weightGradient(layerConf(), x, delta, dW, db, mgr);
        }
    }

    /**
     * dW[u, v, ci, co] = sum over n, i, j of x[n, i + u, j + v, ci] * delta[n, i, j, co]: a convolution of x read as
     * [cIn (batch), H, W, N (channels)] with delta read as a [Ho, Wo, N, cOut] kernel, giving [cIn, kH, kW, cOut];
     * db is delta summed over n, i, j (a product with a row of ones).
     */
    private void weightGradientByCorrelation(INDArray x, INDArray delta, INDArray dW, INDArray db,
                                             LayerWorkspaceMgr mgr) {
        long n = x.size(0);
        long cin = x.size(3);
        long ho = delta.size(1);
        long wo = delta.size(2);
        long cout = delta.size(3);
        int[] k = layerConf().getKernel();
        INDArray xs = BufferPool.create(mgr, ArrayType.BP_WORKING_MEM, dataType, cin, x.size(1), x.size(2), n)
                .assign(x.permute(3, 1, 2, 0));
        INDArray kernel = n == 1 ? delta.reshape('c', ho, wo, 1, cout)
                : BufferPool.create(mgr, ArrayType.BP_WORKING_MEM, dataType, ho, wo, n, cout)
                        .assign(delta.permute(1, 2, 0, 3));
        INDArray out = BufferPool.create(mgr, ArrayType.BP_WORKING_MEM, dataType, cin, k[0], k[1], cout);
        CustomOps.exec(DynamicCustomOp.builder("conv2d").addInputs(xs, kernel, Nd4j.zeros(dataType, cout)).addOutputs(out)
                .addIntegerArguments((int) ho, (int) wo, 1, 1, 0, 0, 1, 1, 0, NHWC, WEIGHTS_HWIO).build());
        dW.assign(out.permute(1, 2, 0, 3));
        long rows = n * ho * wo;
        Nd4j.gemm(Scratch.ones(dataType, rows), delta.reshape('c', rows, cout), db.reshape(1, cout), false, false,
                1.0, 0.0);
    }

    private boolean correlationApplies(INDArray x) {
        NhwcConvolution2D c = layerConf();
        int[] st = c.getStride();
        int[] p = c.getPadding();
        return x.size(3) <= 4 && st[0] == 1 && st[1] == 1 && p[0] == 0 && p[1] == 0;
    }

    /** Whether deconv2d maps the output size back exactly to the input size (no rows dropped by the stride). */
    private boolean deconvGivesInputShape(INDArray x) {
        NhwcConvolution2D c = layerConf();
        int[] k = c.getKernel();
        int[] st = c.getStride();
        int[] p = c.getPadding();
        return (x.size(1) + 2L * p[0] - k[0]) % st[0] == 0 && (x.size(2) + 2L * p[1] - k[1]) % st[1] == 0;
    }

    @Override
    public void clear() {
        super.clear();
        preOutput = null;
        output = null;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no weight noise support
    }

    @Override
    public Layer clone() {
        throw new UnsupportedOperationException("NhwcConvolution2DLayer does not support clone()");
    }

    /**
     * A stride-1 convolution computed as a stride-s convolution with s*s times the output channels, followed by a
     * depth-to-space rearrangement (polyphase decomposition of the output).
     *
     * <p>Why: oneDNN blocks output channels by 16, so a convolution with 3 output channels (the generator's RGB
     * output, 32 -> 3, 9x9 at 256x256) wastes ~80% of its work and was the slowest layer of the generator. Output
     * pixel (s*i+a, s*j+b) is the dot product of the k x k window at input (s*i+a, s*j+b) with W; it is also the
     * dot product of the K x K window at (s*i, s*j), K = k+s-1, with W shifted by (a, b) inside a zero K x K kernel.
     * So with W'[a+u, b+v, ci, (a*s+b)*cOut+co] = W[u, v, ci, co] (zero elsewhere) and b' = b tiled s*s times,
     * y' = conv(x, W', b', stride s) holds every output pixel once: y[n, s*i+a, s*j+b, co] = y'[n, i, j,
     * (a*s+b)*cOut+co]. Zero padding carries over unchanged. The backward pass runs conv2d_bp on the rearranged
     * output gradient: its input gradient is exact, and dW, db are the sums of the matching W', b' gradient slices.
     * Measured on this layer at 32 -> 3, 9x9, 264x264 input, tanh, 2 threads: forward 15.2 -> 6.3 ms, forward +
     * backward 50.2 -> 22.2 ms (bare ops: 15.5 -> 4.7 ms and 37.3 -> 12.8 ms).
     *
     * <p>W' and b' are rebuilt from the current parameters on every call (a few thousand values), so nothing goes
     * stale after an optimizer step.
     */
    static final class Polyphase {
        private final int s;
        private final int cOut;
        private final int[] k;
        private final int[] intArgs;
        private final INDArray wPoly; // [kH+s-1, kW+s-1, cIn, s*s*cOut]

        /**
         * The phase factor for a layer, batch and output size, 1 for the direct path. Chosen from measurements
         * (oneDNN, AVX-512, 2 threads, PolyphaseConvProbe): 32 -> cOut, 9x9 at 256x256 runs forward+backward in
         * 54 ms direct for every cOut <= 16; with s = 2 in 22 ms for cOut 1-4 and 38 ms for cOut 8, with s = 4 in
         * 13 ms for cOut 1. cOut 8 is left direct: on AVX2 oneDNN blocks by 8 and 8 channels waste nothing. Below
         * about 2^23 multiply-adds (batch * output pixels * kernel taps * cIn) the fixed cost of building W' and
         * rearranging (~0.3 ms) eats the gain: the resnet discriminator's 256 -> 1, 3x3 head at 32x32 went from
         * 1.1 to 1.3 ms at batch 1 but from 4.0 to 3.1 ms at batch 4.
         */
        static int factor(NhwcConvolution2D c, long batch, long outH, long outW) {
            return factor(c.getKernel(), c.getStride(), c.getNIn(), c.getNOut(), batch, outH, outW);
        }

        /** {@link #factor(NhwcConvolution2D, long, long, long)} for a convolution given by its sizes. */
        static int factor(int[] k, int[] stride, long nIn, long nOut, long batch, long outH, long outW) {
            long work = batch * outH * outW * k[0] * k[1] * nIn;
            if (stride[0] != 1 || stride[1] != 1 || k[0] < 2 || k[1] < 2 || nOut > MAX_OUT_CHANNELS
                    || work < MIN_WORK) {
                return 1;
            }
            // One output channel fills oneDNN's 16-channel block with 4x4 phases, but a 4x4 phase grid adds 3 rows
            // and columns of kernel taps: worth it for large kernels (9x9: 13 ms vs 22 ms with 2x2), not for 3x3
            // (the 32x32 head at batch 4: 3.6 ms vs 3.0 ms with 2x2).
            if (nOut == 1 && k[0] >= 5 && k[1] >= 5 && outH % 4 == 0 && outW % 4 == 0) {
                return 4;
            }
            return outH % 2 == 0 && outW % 2 == 0 ? 2 : 1;
        }

        Polyphase(NhwcConvolution2D c, int s, INDArray w) {
            this(c.getKernel(), c.getPadding(), c.getNIn(), c.getNOut(), s, w);
        }

        /** For a stride-1 convolution given by its kernel size, padding and channels (weights [kH, kW, cIn, cOut]). */
        Polyphase(int[] k, int[] padding, long cIn, long cOut, int s, INDArray w) {
            this.s = s;
            this.cOut = (int) cOut;
            this.k = k;
            int[] kPoly = {k[0] + s - 1, k[1] + s - 1};
            this.intArgs = intArgs(kPoly, new int[] {s, s}, padding);
            wPoly = Nd4j.create(w.dataType(), kPoly[0], kPoly[1], cIn, (long) s * s * cOut);
            INDArray phases = wPoly.reshape('c', kPoly[0], kPoly[1], cIn, s, s, cOut);
            for (int a = 0; a < s; a++) {
                for (int b = 0; b < s; b++) {
                    tap(phases, a, b).assign(w);
                }
            }
        }

        /** The [kH, kW, cIn, cOut] block of a [K', K', cIn, s, s, cOut] array that phase (a, b) reads. */
        private INDArray tap(INDArray phases, int a, int b) {
            return phases.get(NDArrayIndex.interval(a, a + k[0]), NDArrayIndex.interval(b, b + k[1]),
                    NDArrayIndex.all(), NDArrayIndex.point(a), NDArrayIndex.point(b), NDArrayIndex.all());
        }

        private INDArray tiledBias(INDArray bias) {
            INDArray bPoly = Nd4j.createUninitialized(bias.dataType(), (long) s * s, cOut);
            for (int p = 0; p < s * s; p++) {
                bPoly.getRow(p).assign(bias);
            }
            return bPoly.reshape((long) s * s * cOut);
        }

        /**
         * An NHWC output-sized array as [N*H/s, s, W/s, s*C]; its polyphase twin [N, H/s, W/s, s*s*C] viewed as
         * [N*H/s, W/s, s, s*C] is this with axes 1 and 2 swapped. (A 6-D view with separate phase axes works too,
         * but ND4J's assign over it took 0.8 ms instead of 0.1 ms at 256x256x3.)
         */
        private INDArray rows(INDArray nhwc) {
            return nhwc.reshape('c', nhwc.size(0) * nhwc.size(1) / s, s, nhwc.size(2) / s, (long) s * cOut);
        }

        /** The polyphase array [N, H/s, W/s, s*s*C] as [N*H/s, s, W/s, s*C], matching {@link #rows}. */
        private INDArray phaseRows(INDArray poly) {
            return poly.reshape('c', poly.size(0) * poly.size(1), poly.size(2), s, (long) s * cOut)
                    .permute(0, 2, 1, 3);
        }

        void forward(INDArray x, INDArray bias, INDArray out, LayerWorkspaceMgr mgr) {
            forward(x, bias, out, mgr, ArrayType.FF_WORKING_MEM);
        }

        /** out = conv(x, W) + bias, bias null for none; the temporary is of type {@code scratch}. */
        void forward(INDArray x, INDArray bias, INDArray out, LayerWorkspaceMgr mgr, ArrayType scratch) {
            INDArray yPoly = BufferPool.create(mgr, scratch, out.dataType(), out.size(0),
                    out.size(1) / s, out.size(2) / s, (long) s * s * cOut);
            INDArray[] in = bias == null ? new INDArray[] {x, wPoly} : new INDArray[] {x, wPoly, tiledBias(bias)};
            CustomOps.exec(DynamicCustomOp.builder("conv2d").addInputs(in).addOutputs(yPoly).addIntegerArguments(intArgs)
                    .build());
            rows(out).assign(phaseRows(yPoly));
        }

        void backward(INDArray x, INDArray bias, INDArray delta, INDArray dx, INDArray dW, INDArray db,
                      LayerWorkspaceMgr mgr) {
            DataType dt = delta.dataType();
            INDArray dyPoly = BufferPool.create(mgr, ArrayType.BP_WORKING_MEM, dt, delta.size(0), delta.size(1) / s,
                    delta.size(2) / s, (long) s * s * cOut);
            phaseRows(dyPoly).assign(rows(delta)); // dense: backpropGradient made it so
            INDArray dwPoly = BufferPool.create(mgr, ArrayType.BP_WORKING_MEM, dt, wPoly.shape());
            INDArray dbPoly = BufferPool.create(mgr, ArrayType.BP_WORKING_MEM, dt, (long) s * s * cOut);
            CustomOps.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, wPoly, tiledBias(bias), dyPoly)
                    .addOutputs(dx, dwPoly, dbPoly).addIntegerArguments(intArgs).build());
            INDArray phases = dwPoly.reshape('c', wPoly.size(0), wPoly.size(1), wPoly.size(2), s, s, cOut);
            dW.assign(tap(phases, 0, 0));
            for (int a = 0; a < s; a++) {
                for (int b = 0; b < s; b++) {
                    if (a + b > 0) {
                        dW.addi(tap(phases, a, b));
                    }
                }
            }
            db.assign(dbPoly.reshape((long) s * s, cOut).sum(0));
        }
    }
}
