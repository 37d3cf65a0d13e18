package org.stylegan.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.losses.ContentLoss;
import org.stylegan.losses.LossResult;

/** Throwaway probe (not a test): where a generator training step's time goes (forward, loss, backward, Adam). */
public final class TrainProbe {
    private TrainProbe() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Nd4j.getRandom().setSeed(1);
        Generator g = Generator.builder().build();
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 256, 256).muli(2).subi(1);
        INDArray target = Nd4j.rand(DataType.FLOAT, batch, 3, 256, 256).muli(2).subi(1);
        double[] best = {1e9, 1e9, 1e9, 1e9, 1e9, 1e9};
        String[] names = {"forward", "loss", "backward", "applyGradient", "releaseActivations", "step"};
        for (int r = 0; r < runs + 3; r++) {
            long t0 = System.nanoTime();
            INDArray out = g.forward(x, true);
            long t1 = System.nanoTime();
            LossResult mse = ContentLoss.pixel().compute(out, target);
            long t2 = System.nanoTime();
            TrainableGraph.Backward b = g.backward(mse.gradient());
            long t3 = System.nanoTime();
            g.applyGradient(b.paramGradient(), batch);
            long t4 = System.nanoTime();
            g.releaseActivations(x);
            long t5 = System.nanoTime();
            long[] t = {t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4, t5 - t0};
            if (r >= 3) {
                for (int i = 0; i < t.length; i++) {
                    best[i] = Math.min(best[i], t[i] / 1e6);
                }
            }
            System.out.printf("step %d %.1f ms, pool allocations so far %d%n", r, (t5 - t0) / 1e6,
                    g.bufferAllocations());
        }
        for (int i = 0; i < names.length; i++) {
            System.out.printf("%-20s min %8.1f ms%n", names[i], best[i]);
        }
    }
}
