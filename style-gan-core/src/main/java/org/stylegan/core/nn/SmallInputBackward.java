package org.stylegan.core.nn;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Backward pass pieces of an NHWC convolution whose input has very few channels (an RGB image), built from fast
 * forward convolutions and one matrix product instead of libnd4j's {@code conv2d_bp}.
 *
 * <p>Why: oneDNN computes a 3-channel input gradient in 16-channel blocks and reorders it; for the discriminator's
 * first layer (3 -> 64, 4x4, stride 2, padding 1, batch 4 at 256x256) {@code conv2d_bp} took 12-20 ms and
 * {@code deconv2d} (input gradient alone) 8.4 ms, against 2.8 ms for {@link #inputGradient} and about 5 ms for
 * {@link #weightGradient} (2 threads, AVX-512, bare ops); in the layer (SmallInputBackwardProbe) 3.6 ms (input
 * gradient only, was 13.1), 8.3 ms (parameter gradients only, was 19.6), 11.8 ms (both, was 18.4).
 *
 * <p>Notation: stride s, kernel k, padding p, x padded with p zeros is xp, K = ceil(k / s) (the kernel padded with
 * zero taps to s*K). Forward: y[n, i, j, co] = sum over u, v, ci of xp[n, s*i+u, s*j+v, ci] * W[u, v, ci, co] + b.
 */
final class SmallInputBackward {
    /** Input channels up to which these paths are used. */
    static final int MAX_IN_CHANNELS = 4;

    /** Multiply-adds from which one piece alone (dx or dW) pays; see {@link #pays}. */
    static final long MIN_WORK_ONE = 1L << 24;
    /** Multiply-adds from which the full backward pass (dx and dW) pays; see {@link #pays}. */
    static final long MIN_WORK_BOTH = 1L << 26;

    private SmallInputBackward() {
    }

    /**
     * Whether these paths beat conv2d_bp / deconv2d for a layer with at most 4 input channels, an output of
     * [batch, outH, outW, cOut] and the wanted gradients. They cost about ten small ops more (0.3-1 ms fixed), and
     * conv2d_bp is good up to a size: its time grows superlinearly (D's first layer: 3.1 ms at batch 1, 20 ms at
     * batch 4, 256x256). Measured in the layer (2 threads, SmallInputBackwardProbe), in multiply-adds
     * batch*outH*outW*kH*kW*cIn*cOut: one piece alone ties or loses at 7-13M (D's first layer at 64x64 output,
     * batch 1: dx 0.59 vs 0.60 ms, dW 0.87 vs 0.90; at 32x32 output, batch 4: dx 0.75 vs 0.61, dW 1.46 vs 0.87) and
     * wins from 28M (VGG's first at 128x128: dx 0.71 vs 1.33, dW 1.25 vs 2.04); both together lose at 50M (D at
     * batch 4, 64x64 output: 2.98 vs 2.68 ms), tie at 32-50M and win from 113M (VGG's first at 256x256: 6.3 vs
     * 8.3 ms; D at batch 4, 128x128 output, 201M: 12.4 vs 20.5 ms).
     */
    static boolean pays(NhwcConvolution2D c, long[] outShape, boolean bothGradients) {
        int[] k = c.getKernel();
        long work = outShape[0] * outShape[1] * outShape[2] * k[0] * k[1] * c.getNIn() * c.getNOut();
        return c.getNIn() <= MAX_IN_CHANNELS && work >= (bothGradients ? MIN_WORK_BOTH : MIN_WORK_ONE);
    }

    /** Whether {@link #inputGradient} handles a layer (stride 1 needs padding at most k - 1). */
    static boolean inputGradientApplies(NhwcConvolution2D c) {
        int[] k = c.getKernel();
        int[] st = c.getStride();
        int[] p = c.getPadding();
        return c.getNIn() <= MAX_IN_CHANNELS && (st[0] > 1 || p[0] <= k[0] - 1) && (st[1] > 1 || p[1] <= k[1] - 1);
    }

    /**
     * dx as one forward convolution of delta (polyphase transposed convolution). Input row r = s*m + a of xp
     * receives sum over t of delta[m - t] * W[s*t + a]: for each phase (a, b) a stride-1 correlation of delta, padded
     * by K - 1, with the K x K sub-kernel W[s*(K-1-t) + a, s*(K-1-t') + b, ci, co] (flipped, cIn and cOut swapped).
     * All s*s phases come from one {@code conv2d} with s*s*cIn output channels; a depth-to-space rearrangement and a
     * crop by p give dx. Stride 1 is the full correlation with the flipped kernel, padding k - 1 - p, written
     * straight into dx; with its cIn output channels it takes the output-polyphase path of
     * {@link NhwcConvolution2DLayer.Polyphase} (G's 3 <- 32 9x9 at 264x264: 5.6 ms against 14.0 ms for
     * {@code deconv2d} and 14.4 ms direct).
     */
    static void inputGradient(NhwcConvolution2D c, INDArray w, INDArray delta, INDArray dx, LayerWorkspaceMgr mgr) {
        int[] k = c.getKernel();
        int[] st = c.getStride();
        int[] p = c.getPadding();
        int cIn = (int) c.getNIn();
        int cOut = (int) c.getNOut();
        DataType dt = delta.dataType();
        long n = delta.size(0);
        INDArray wd = phaseKernel(w, st);
        if (st[0] == 1 && st[1] == 1) {
            int[] pad = {k[0] - 1 - p[0], k[1] - 1 - p[1]};
            int f = NhwcConvolution2DLayer.Polyphase.factor(k, st, cOut, cIn, n, dx.size(1), dx.size(2));
            if (f > 1) {
                new NhwcConvolution2DLayer.Polyphase(k, pad, cOut, cIn, f, wd).forward(delta, null, dx, mgr,
                        ArrayType.BP_WORKING_MEM);
            } else {
                CustomOps.exec(DynamicCustomOp.builder("conv2d").addInputs(delta, wd).addOutputs(dx)
                        .addIntegerArguments(k[0], k[1], 1, 1, pad[0], pad[1], 1, 1, 0, 1, 0).build());
            }
            return;
        }
        int kh = (int) wd.size(0);
        int kw = (int) wd.size(1);
        long mh = delta.size(1) + kh - 1;
        long mw = delta.size(2) + kw - 1;
        INDArray phases = BufferPool.create(mgr, ArrayType.BP_WORKING_MEM, dt, n, mh, mw, (long) st[0] * st[1] * cIn);
        CustomOps.exec(DynamicCustomOp.builder("conv2d").addInputs(delta, wd).addOutputs(phases)
                .addIntegerArguments(kh, kw, 1, 1, kh - 1, kw - 1, 1, 1, 0, 1, 0).build());
        long rows = st[0] * mh;
        long cols = st[1] * mw;
        boolean exact = p[0] == 0 && p[1] == 0 && rows == dx.size(1) && cols == dx.size(2);
        INDArray dxp = exact ? dx : BufferPool.create(mgr, ArrayType.BP_WORKING_MEM, dt, n, rows, cols, cIn);
        // Depth to space: dxp as [N*Mh, s, Mw, s*cIn] is phases as [N*Mh, Mw, s, s*cIn] with axes 1, 2 swapped.
        dxp.reshape('c', n * mh, st[0], mw, (long) st[1] * cIn)
                .assign(phases.reshape('c', n * mh, mw, st[0], (long) st[1] * cIn).permute(0, 2, 1, 3));
        if (exact) {
            return;
        }
        // Rows and columns of xp past the last window get no gradient: dxp may end before p + H.
        long hc = Math.min(dx.size(1), rows - p[0]);
        long wc = Math.min(dx.size(2), cols - p[1]);
        INDArray target = dx;
        if (hc < dx.size(1) || wc < dx.size(2)) {
            dx.assign(0.0);
            target = dx.get(NDArrayIndex.all(), NDArrayIndex.interval(0, hc), NDArrayIndex.interval(0, wc),
                    NDArrayIndex.all());
        }
        target.assign(dxp.get(NDArrayIndex.all(), NDArrayIndex.interval(p[0], p[0] + hc),
                NDArrayIndex.interval(p[1], p[1] + wc), NDArrayIndex.all()));
    }

    /**
     * The transposed-convolution kernel [K, K', cOut, s*s'*cIn]: Wd[t, t', co, (a*s' + b)*cIn + ci] =
     * W[s*(K-1-t) + a, s'*(K'-1-t') + b, ci, co], zero where that tap lies past the kernel. Built from the current
     * weights on every call (a few thousand values).
     */
    static INDArray phaseKernel(INDArray w, int[] st) {
        int kH = (int) w.size(0);
        int kW = (int) w.size(1);
        int cin = (int) w.size(2);
        int cout = (int) w.size(3);
        int bh = (kH + st[0] - 1) / st[0];
        int bw = (kW + st[1] - 1) / st[1];
        int ph = st[0] * st[1] * cin;
        double[] src = Scratch.dense(w).data().asDouble();
        double[] dst = new double[bh * bw * cout * ph];
        for (int t = 0; t < bh; t++) {
            for (int t2 = 0; t2 < bw; t2++) {
                for (int a = 0; a < st[0]; a++) {
                    for (int b = 0; b < st[1]; b++) {
                        int u = st[0] * (bh - 1 - t) + a;
                        int v = st[1] * (bw - 1 - t2) + b;
                        if (u >= kH || v >= kW) {
                            continue;
                        }
                        for (int ci = 0; ci < cin; ci++) {
                            for (int co = 0; co < cout; co++) {
                                dst[((t * bw + t2) * cout + co) * ph + (a * st[1] + b) * cin + ci] =
                                        src[((u * kW + v) * cin + ci) * cout + co];
                            }
                        }
                    }
                }
            }
        }
        return Nd4j.create(dst, new long[] {bh, bw, cout, ph}, w.dataType());
    }

    /**
     * dW and db as one matrix product: col[n, i, j, (t, t', a, b, ci)] = xp[n, s*(i+t) + a, s*(j+t') + b, ci] holds
     * every input tap of output pixel (n, i, j) (plus a column of ones for db), and [dW; db] = col^T * delta viewed
     * [N*Ho*Wo, cOut]. col is built from xp's space-to-depth rearrangement xs[n, I, J, (a, b, ci)] = xp[n, s*I + a,
     * s*J + b, ci] (none for stride 1): for one kernel row t, the taps (t', a, b, ci) of a pixel are K'*s*s*cIn
     * consecutive values of xs, so K copies from overlapping strided views fill col. Measured for D's 3 -> 64, 4x4,
     * stride 2, padding 1 at batch 4 and 256x256 (bare, 2 threads): padding 0.6 ms, space-to-depth 0.4, the two
     * copies 1.2, ones 0.3, product 2.5 (at the 2-thread peak). Tried and slower: K*K' copies of s*s*cIn values
     * (1.9-2.6 ms for D; for VGG's 3 -> 64 3x3 stride 1 nine copies of 3 values: 3.6 ms at batch 1), k copies of
     * k'*cIn values straight from xp (no space-to-depth; 1 ms slower for D), k*k strided copies of cIn values
     * (6.2 ms), libnd4j's im2col (NCHW, 3.1 ms) with per-sample products (3.1 ms).
     */
    static void weightGradient(NhwcConvolution2D c, INDArray x, INDArray delta, INDArray dW, INDArray db,
                               LayerWorkspaceMgr mgr) {
        int[] k = c.getKernel();
        int[] st = c.getStride();
        int[] p = c.getPadding();
        int cIn = (int) x.size(3);
        long cOut = delta.size(3);
        DataType dt = delta.dataType();
        long n = x.size(0);
        long ho = delta.size(1);
        long wo = delta.size(2);
        int bh = (k[0] + st[0] - 1) / st[0];
        int bw = (k[1] + st[1] - 1) / st[1];
        long hs = ho + bh - 1;
        long ws = wo + bw - 1;
        long rows = st[0] * hs;
        long cols = st[1] * ws;
        INDArray xp = x;
        if (p[0] != 0 || p[1] != 0 || rows != x.size(1) || cols != x.size(2)) {
            xp = BufferPool.create(mgr, ArrayType.BP_WORKING_MEM, dt, n, rows, cols, cIn).assign(0.0);
            long hc = Math.min(x.size(1), rows - p[0]);
            long wc = Math.min(x.size(2), cols - p[1]);
            xp.get(NDArrayIndex.all(), NDArrayIndex.interval(p[0], p[0] + hc), NDArrayIndex.interval(p[1], p[1] + wc),
                    NDArrayIndex.all()).assign(x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, hc),
                    NDArrayIndex.interval(0, wc), NDArrayIndex.all()));
        }
        long ch = (long) st[0] * st[1] * cIn;
        INDArray xs = xp;
        if (st[0] > 1 || st[1] > 1) {
            xs = BufferPool.create(mgr, ArrayType.BP_WORKING_MEM, dt, n, hs, ws, ch);
            xs.reshape('c', n * hs, ws, st[0], (long) st[1] * cIn).permute(0, 2, 1, 3)
                    .assign(xp.reshape('c', n * hs, st[0], ws, (long) st[1] * cIn));
        }
        long taps = bh * bw * ch;
        INDArray col = BufferPool.create(mgr, ArrayType.BP_WORKING_MEM, dt, n, ho, wo, taps + 1);
        INDArrayIndex all = NDArrayIndex.all();
        long run = bw * ch;
        long[] strides = {hs * ws * ch, ws * ch, ch, 1};
        for (int t = 0; t < bh; t++) {
            // Overlapping windows: pixel (n, i, j) reads xs[n, i + t, j .. j + K' - 1, all channels].
            INDArray windows = Nd4j.create(xs.data(), new long[] {n, ho, wo, run}, strides, xs.offset() + t * ws * ch,
                    'c');
            col.get(all, all, all, NDArrayIndex.interval(t * run, (t + 1) * run)).assign(windows);
        }
        col.get(all, all, all, NDArrayIndex.point(taps)).assign(1.0);
        long m = n * ho * wo;
        INDArray prod = BufferPool.create(mgr, ArrayType.BP_WORKING_MEM, dt, taps + 1, cOut);
        Nd4j.gemm(col.reshape('c', m, taps + 1), delta.reshape('c', m, cOut), prod, true, false, 1.0, 0.0);
        // Rows (t, t', a, b, ci) -> dW[s*t + a, s'*t' + b, ci], dropping the zero taps past k.
        INDArray grid = BufferPool.create(mgr, ArrayType.BP_WORKING_MEM, dt, bh, st[0], bw, st[1], cIn, cOut);
        grid.assign(prod.get(NDArrayIndex.interval(0, taps), all).reshape('c', bh, bw, st[0], st[1], cIn, cOut)
                .permute(0, 2, 1, 3, 4, 5));
        dW.assign(grid.reshape('c', (long) bh * st[0], (long) bw * st[1], cIn, cOut).get(
                NDArrayIndex.interval(0, k[0]), NDArrayIndex.interval(0, k[1]), all, all));
        db.assign(prod.getRow(taps).reshape(cOut));
    }
}
