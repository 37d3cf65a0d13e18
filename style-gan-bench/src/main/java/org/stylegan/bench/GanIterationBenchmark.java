package org.stylegan.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One full GAN iteration (discriminator step + generator step), the peer's {@code gan_iter_b1_256} and
 * {@code gan_iter_b4_256}; see {@link ComposedGanStep} for the exact work. The fork's peak RSS is printed after
 * the run ({@code compare.sh} puts the batch-4 value next to its time).
 *
 * <p>How to run: {@code mvn -B -q -pl style-gan-bench -am package -DskipTests} then
 * {@code OMP_NUM_THREADS=2 java -jar style-gan-bench/target/benchmarks.jar GanIterationBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 4)
@Measurement(iterations = 5, time = 4)
// JavaCPP counts the whole process (Java heap included) against maxPhysicalBytes and only collects dead native
// buffers when it nears the cap, so the peak RSS reported is the cap, not the live set. A 1 GB heap (the networks'
// Java objects are small) and a 4.5 GB cap: the batch-4 GAN fork then peaked at ~4.3 GB at the same speed as with
// 4 GB / 7 GB (7.3 GB peak); 3 GB with a 4 GB heap failed (out of memory). Without a cap it grew to 15.6 GB.
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=4500m"})
public class GanIterationBenchmark {

    /** Networks and fixed-seed content and style batches for one batch size. */
    public abstract static class Workload {
        ComposedGanStep step;

        abstract int batch();

        /** Builds reference generator, discriminator and feature network, and the style Gram targets. */
        @Setup(Level.Trial)
        public void setUp() {
            BenchSupport.checkEnvironment();
            step = ComposedGanStep.reference(batch());
        }

        /** Prints the fork's peak RSS. */
        @TearDown(Level.Trial)
        public void tearDown(BenchmarkParams params) {
            BenchSupport.reportPeakRss(params);
        }
    }

    /** Batch 1. */
    @State(Scope.Benchmark)
    public static class B1 extends Workload {
        @Override
        int batch() {
            return 1;
        }
    }

    /** Batch 4. */
    @State(Scope.Benchmark)
    public static class B4 extends Workload {
        @Override
        int batch() {
            return 4;
        }
    }

    /** One iteration at batch 1. */
    @Benchmark
    public double gan_iter_b1_256(B1 w) {
        return w.step.step();
    }

    /** One iteration at batch 4. */
    @Benchmark
    public double gan_iter_b4_256(B4 w) {
        return w.step.step();
    }
}
