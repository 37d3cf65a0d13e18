package org.stylegan.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.losses.AdversarialLoss;
import org.stylegan.losses.LossResult;

/** Throwaway probe: the disc_fwdbwd_b4_256 step in a loop, per step time, minor faults and RSS. */
public final class DiscLoopProbe {
    private DiscLoopProbe() {
    }

    public static void main(String[] a) {
        int steps = a.length > 0 ? Integer.parseInt(a[0]) : 60;
        Nd4j.getRandom().setSeed(21);
        Discriminator d = Discriminator.builder().build();
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 256, 256).muli(2).subi(1);
        AdversarialLoss bce = AdversarialLoss.bce();
        StringBuilder sb = new StringBuilder();
        double[] t = new double[steps];
        long faults = 0;
        for (int i = 0; i < steps; i++) {
            long f0 = FaultProbe.minflt();
            long al0 = allocatedBytes();
            long t0 = System.nanoTime();
            discStep(d, bce, x);
            t[i] = (System.nanoTime() - t0) / 1e6;
            long f = FaultProbe.minflt() - f0;
            long al = allocatedBytes() - al0;
            if (i >= steps / 3) {
                faults += f;
            }
            sb.append(String.format("%6.1f ms %6d faults %5d MB heap-alloc %d KB allocs %d%n", t[i], f, FaultProbe.rssMb(), al / 1024, d.bufferAllocations()));
        }
        System.out.print(sb);
        double[] s = java.util.Arrays.copyOfRange(t, steps / 3, steps);
        java.util.Arrays.sort(s);
        System.out.printf("median of last 2/3: %.1f ms, faults per step %.0f%n", s[s.length / 2],
                faults / (double) s.length);
    }

    /** The disc_fwdbwd_b4_256 step as DiscriminatorBenchmark runs it: forward, BCE to "real", backward, release. */
    static void discStep(Discriminator d, AdversarialLoss bce, INDArray x) {
        INDArray logits = d.forward(x, true);
        LossResult loss = bce.compute(logits, true);
        TrainableGraph.Backward b = d.backward(loss.gradient());
        d.releaseActivations(x);
        b.close();
        loss.gradient().close();
        logits.close();
    }

    /** Bytes of Java heap this thread has allocated so far. */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }
}
