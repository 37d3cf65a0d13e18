package org.stylegan.core;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Throwaway timing probe (not a test): first measurements of the peer workloads of torch_reference.py.
 * Run: OMP_NUM_THREADS=2 java -cp target/test-classes:target/classes:$(deps) org.stylegan.core.PerfProbe [runs] [names]
 * The JMH benchmarks in style-gan-bench are the reference numbers; this probe only guides choices.
 */
public final class PerfProbe {
    private PerfProbe() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String only = args.length > 1 ? args[1] : "";
        FastPath.ensureEnabled();
        String info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
        System.out.println("oneDNN active=" + FastPath.isOneDnnActive() + " build=" + info.replace('\n', ' '));
        org.bytedeco.javacpp.Loader.getLoadedLibraries().forEach((k, v) -> {
            if (k.contains("nd4j")) {
                System.out.println("loaded " + k + " from " + v);
            }
        });
        Nd4j.getRandom().setSeed(1);
        Generator g = Generator.builder().build();
        Discriminator d = Discriminator.builder().build();
        INDArray x1 = Nd4j.rand(DataType.FLOAT, 1, 3, 256, 256).muli(2).subi(1);
        INDArray t1 = Nd4j.rand(DataType.FLOAT, 1, 3, 256, 256).muli(2).subi(1);
        INDArray x4 = Nd4j.rand(DataType.FLOAT, 4, 3, 256, 256).muli(2).subi(1);
        if (only.contains("variants")) {
            for (Padding pad : Padding.values()) {
                for (Normalization n : new Normalization[] {Normalization.NONE, Normalization.INSTANCE}) {
                    Generator v = Generator.builder().padding(pad).normalization(n).build();
                    time("gen_infer_b1_256 " + pad + " " + n, runs, () -> v.output(x1));
                    time("gen_train_mse_b1_256 " + pad + " " + n, runs, () -> {
                        INDArray y = v.forward(x1, true);
                        v.applyGradient(v.backward(y.sub(t1).muli(2.0 / y.length())).paramGradient(), 1);
                    });
                    time("gen_fwd_train_b1_256 " + pad + " " + n, runs, () -> v.forward(x1, true));
                }
            }
            return;
        }
        if (only.isEmpty() || only.contains("gen_infer_b1_256")) {
            time("gen_infer_b1_256", runs, () -> g.output(x1));
        }
        if (only.isEmpty() || only.contains("gen_train_mse_b1_256")) {
            time("gen_train_mse_b1_256", runs, () -> {
                INDArray y = g.forward(x1, true);
                INDArray grad = y.sub(t1).muli(2.0 / y.length());
                g.applyGradient(g.backward(grad).paramGradient(), 1);
            });
        }
        if (only.isEmpty() || only.contains("disc_fwdbwd_b4_256")) {
            time("disc_fwdbwd_b4_256", runs, () -> {
                INDArray z = d.forward(x4, true);
                INDArray grad = Transforms.sigmoid(z, true).subi(1).divi(z.length()); // BCE-with-logits to ones
                d.backward(grad);
            });
        }
    }

    private static void time(String name, int runs, Runnable r) {
        for (int i = 0; i < 3; i++) {
            r.run();
        }
        double[] ms = new double[runs];
        double[] cpu = new double[runs];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < runs; i++) {
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
        }
        double[] s = ms.clone();
        Arrays.sort(s);
        Arrays.sort(cpu);
        // With OMP_NUM_THREADS=1 all native work runs on this thread: its CPU time is a load-independent
        // single-core cost, useful on a shared machine where wall time is mostly waiting.
        System.out.printf("%s median_ms=%.1f min_ms=%.1f max_ms=%.1f thread_cpu_median_ms=%.1f%n", name,
                s[runs / 2], s[0], s[runs - 1], cpu[runs / 2]);
    }
}
