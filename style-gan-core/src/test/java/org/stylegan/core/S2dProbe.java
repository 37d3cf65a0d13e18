package org.stylegan.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Throwaway probe: stride-2 4x4 conv directly vs as a stride-1 2x2 conv on the space-to-depth input. */
public final class S2dProbe {
    private S2dProbe() {
    }

    public static void main(String[] a) {
        int runs = a.length > 0 ? Integer.parseInt(a[0]) : 10;
        int[][] shapes = {{4, 128, 64, 128}, {4, 64, 128, 256}, {4, 256, 3, 64}, {1, 128, 64, 128}};
        for (int[] s : shapes) {
            int n = s[0], hw = s[1], ci = s[2], co = s[3];
            int ho = hw / 2;
            Nd4j.getRandom().setSeed(1);
            INDArray x = Nd4j.rand(DataType.FLOAT, n, hw, hw, ci).subi(0.5);
            INDArray w = Nd4j.rand(DataType.FLOAT, 4, 4, ci, co).subi(0.5);
            INDArray b = Nd4j.zeros(DataType.FLOAT, co);
            INDArray g = Nd4j.rand(DataType.FLOAT, n, ho, ho, co).subi(0.5);
            INDArray y = Nd4j.createUninitialized(DataType.FLOAT, n, ho, ho, co);
            INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, n, hw, hw, ci);
            INDArray dw = Nd4j.createUninitialized(DataType.FLOAT, 4, 4, ci, co);
            INDArray db = Nd4j.createUninitialized(DataType.FLOAT, co);
            int[] conv = {4, 4, 2, 2, 1, 1, 1, 1, 0, 1, 0};
            double f = PoolProbe.min(runs, () -> Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w, b)
                    .addOutputs(y).addIntegerArguments(conv).build()));
            double bp = PoolProbe.min(runs, () -> Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                    .addInputs(x, w, b, g).addOutputs(dx, dw, db).addIntegerArguments(conv).build()));
            // space to depth of x padded by 1: [n, ho+1, ho+1, 4ci]
            int hs = ho + 1;
            INDArray xp = Nd4j.zeros(DataType.FLOAT, n, 2 * hs, 2 * hs, ci);
            INDArray xs = Nd4j.createUninitialized(DataType.FLOAT, n, hs, hs, 4 * ci);
            Runnable s2d = () -> {
                xp.get(NDArrayIndex.all(), NDArrayIndex.interval(1, hw + 1), NDArrayIndex.interval(1, hw + 1),
                        NDArrayIndex.all()).assign(x);
                xs.reshape('c', (long) n * hs, hs, 2, 2L * ci).permute(0, 2, 1, 3)
                        .assign(xp.reshape('c', (long) n * hs, 2, hs, 2L * ci));
            };
            double ts = PoolProbe.min(runs, s2d::run);
            // W'[t,t',(a,b,ci),co] = W[2t+a, 2t'+b, ci, co]
            INDArray ws = w.reshape('c', 2, 2, 2, 2, ci, co).permute(0, 2, 1, 3, 4, 5).dup('c')
                    .reshape('c', 2, 2, 4L * ci, co);
            INDArray y2 = Nd4j.createUninitialized(DataType.FLOAT, n, ho, ho, co);
            INDArray dxs = Nd4j.createUninitialized(DataType.FLOAT, n, hs, hs, 4 * ci);
            INDArray dws = Nd4j.createUninitialized(DataType.FLOAT, 2, 2, 4 * ci, co);
            int[] conv2 = {2, 2, 1, 1, 0, 0, 1, 1, 0, 1, 0};
            double f2 = PoolProbe.min(runs, () -> Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(xs, ws, b)
                    .addOutputs(y2).addIntegerArguments(conv2).build()));
            double bp2 = PoolProbe.min(runs, () -> Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                    .addInputs(xs, ws, b, g).addOutputs(dxs, dws, db).addIntegerArguments(conv2).build()));
            INDArray dxp = Nd4j.createUninitialized(DataType.FLOAT, n, 2 * hs, 2 * hs, ci);
            INDArray dx2 = Nd4j.createUninitialized(DataType.FLOAT, n, hw, hw, ci);
            Runnable d2s = () -> {
                dxp.reshape('c', (long) n * hs, 2, hs, 2L * ci)
                        .assign(dxs.reshape('c', (long) n * hs, hs, 2, 2L * ci).permute(0, 2, 1, 3));
                dx2.assign(dxp.get(NDArrayIndex.all(), NDArrayIndex.interval(1, hw + 1),
                        NDArrayIndex.interval(1, hw + 1), NDArrayIndex.all()));
            };
            double td = PoolProbe.min(runs, d2s::run);
            INDArray dw2 = dws.reshape('c', 2, 2, 2, 2, ci, co).permute(0, 2, 1, 3, 4, 5).dup('c')
                    .reshape('c', 4, 4, ci, co);
            double ey = y2.sub(y).norm2Number().doubleValue() / y.norm2Number().doubleValue();
            double ex = dx2.sub(dx).norm2Number().doubleValue() / dx.norm2Number().doubleValue();
            double ew = dw2.sub(dw).norm2Number().doubleValue() / dw.norm2Number().doubleValue();
            System.out.printf("[%d,%d,%d,%d]->%d direct fwd %.2f bp %.2f | s2d fwd %.2f bp %.2f s2d %.2f d2s %.2f"
                    + " | err y %.1e dx %.1e dw %.1e%n", n, hw, hw, ci, co, f, bp, f2, bp2, ts, td, ey, ex, ew);
        }
    }
}
