package org.stylegan.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Throwaway probe (not a test): for a frozen 3x3 NHWC conv (the feature extractor's), is the input gradient alone
 * cheaper than {@code conv2d_bp} (which also computes dW, db)? dx of a stride-1 "same" conv is the transposed conv
 * of the output gradient with the same weights: {@code deconv2d}. Also times the forward conv.
 */
public final class ConvBpProbe {
    private ConvBpProbe() {
    }

    public static void main(String[] a) {
        int runs = a.length > 0 ? Integer.parseInt(a[0]) : 10;
        int[][] shapes = {{256, 64, 64}, {128, 128, 128}, {256, 3, 64}};
        for (int[] s : shapes) {
            int hw = s[0];
            int ci = s[1];
            int co = s[2];
            Nd4j.getRandom().setSeed(1);
            INDArray x = Nd4j.rand(DataType.FLOAT, 1, hw, hw, ci);
            INDArray w = Nd4j.rand(DataType.FLOAT, 3, 3, ci, co).subi(0.5);
            INDArray b = Nd4j.zeros(DataType.FLOAT, co);
            INDArray g = Nd4j.rand(DataType.FLOAT, 1, hw, hw, co).subi(0.5);
            INDArray y = Nd4j.createUninitialized(DataType.FLOAT, 1, hw, hw, co);
            INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, 1, hw, hw, ci);
            INDArray dx2 = Nd4j.createUninitialized(DataType.FLOAT, 1, hw, hw, ci);
            INDArray dw = Nd4j.createUninitialized(DataType.FLOAT, 3, 3, ci, co);
            INDArray db = Nd4j.createUninitialized(DataType.FLOAT, co);
            int[] conv = {3, 3, 1, 1, 1, 1, 1, 1, 0, 1, 0};
            // deconv2d weights [kH, kW, oC, iC] (format 0): the conv's [kH, kW, ci, co] read as oC = ci, iC = co
            int[] deconv = {3, 3, 1, 1, 1, 1, 1, 1, 0, 1, 0};
            double f = PoolProbe.min(runs, () -> Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w, b)
                    .addOutputs(y).addIntegerArguments(conv).build()));
            double bp = PoolProbe.min(runs, () -> Nd4j.exec(DynamicCustomOp.builder("conv2d_bp")
                    .addInputs(x, w, b, g).addOutputs(dx, dw, db).addIntegerArguments(conv).build()));
            double dc = PoolProbe.min(runs, () -> Nd4j.exec(DynamicCustomOp.builder("deconv2d").addInputs(g, w)
                    .addOutputs(dx2).addIntegerArguments(deconv).build()));
            double err = dx2.sub(dx).norm2Number().doubleValue() / dx.norm2Number().doubleValue();
            System.out.printf("[1,%d,%d,%d]->%d conv2d %.2f ms, conv2d_bp %.2f ms, deconv2d (dx only) %.2f ms, "
                    + "rel. diff %.1e%n", hw, hw, ci, co, f, bp, dc, err);
        }
    }
}
