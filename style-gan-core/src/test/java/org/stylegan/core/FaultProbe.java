package org.stylegan.core;

import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** Throwaway probe: per-call time and minor page faults of D's c1 forward conv (NHWC, 4x128x128x64 -> 128). */
public final class FaultProbe {
    private FaultProbe() {
    }

    static long minflt() {
        try {
            String s = Files.readString(Path.of("/proc/self/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[7]);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static long rssMb() {
        try {
            return Long.parseLong(Files.readString(Path.of("/proc/self/statm")).split(" ")[1]) * 4096 / (1 << 20);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] a) {
        int runs = a.length > 0 ? Integer.parseInt(a[0]) : 30;
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 128, 128, 64).subi(0.5);
        INDArray w = Nd4j.rand(DataType.FLOAT, 4, 4, 64, 128).subi(0.5);
        INDArray b = Nd4j.zeros(DataType.FLOAT, 128);
        INDArray y = Nd4j.createUninitialized(DataType.FLOAT, 4, 64, 64, 128);
        INDArray g = Nd4j.rand(DataType.FLOAT, 4, 64, 64, 128).subi(0.5);
        INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, 4, 128, 128, 64);
        INDArray dw = Nd4j.createUninitialized(DataType.FLOAT, 4, 4, 64, 128);
        INDArray db = Nd4j.createUninitialized(DataType.FLOAT, 128);
        int[] conv = {4, 4, 2, 2, 1, 1, 1, 1, 0, 1, 0};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < runs; i++) {
            long f0 = minflt();
            long t0 = System.nanoTime();
            Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w, b).addOutputs(y).addIntegerArguments(conv)
                    .build());
            long t1 = System.nanoTime();
            long f1 = minflt();
            Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, b, g).addOutputs(dx, dw, db)
                    .addIntegerArguments(conv).build());
            long t2 = System.nanoTime();
            long f2 = minflt();
            sb.append(String.format("fwd %6.2f ms %5d faults | bp %6.2f ms %5d faults | rss %d MB%n", (t1 - t0) / 1e6, f1 - f0,
                    (t2 - t1) / 1e6, f2 - f1, rssMb()));
        }
        System.out.print(sb);
    }
}
