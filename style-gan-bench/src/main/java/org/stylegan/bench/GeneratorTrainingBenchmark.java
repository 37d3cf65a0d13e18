package org.stylegan.bench;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
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
import org.stylegan.core.net.Generator;
import org.stylegan.core.internal.GradientCopy;
import org.stylegan.losses.ContentLoss;
import org.stylegan.losses.LossResult;

/**
 * One generator training step on a pixel MSE to a random target, the peer's {@code gen_train_mse_b1_256} and
 * {@code gen_train_mse_b4_256}: forward, {@code F.mse_loss(g(x), target)}, backward, one Adam(2e-4, 0.5, 0.999)
 * step. The benchmark names carry the batch size; {@code batch} is fixed per method.
 *
 * <p>How to run: {@code mvn -B -q -pl style-gan-bench -am package -DskipTests} then
 * {@code OMP_NUM_THREADS=2 java -jar style-gan-bench/target/benchmarks.jar GeneratorTrainingBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 5, time = 3)
// JavaCPP counts the whole process (Java heap included) against maxPhysicalBytes and only collects dead native
// buffers when it nears the cap, so the peak RSS reported is the cap, not the live set. A 1 GB heap (the networks'
// Java objects are small) and a 4.5 GB cap: the batch-4 GAN fork then peaked at ~4.3 GB at the same speed as with
// 4 GB / 7 GB (7.3 GB peak); 3 GB with a 4 GB heap failed (out of memory). Without a cap it grew to 15.6 GB.
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=4500m"})
public class GeneratorTrainingBenchmark {

    /** Generator, input and target for one batch size. */
    public abstract static class Workload {
        Generator generator;
        INDArray x;
        INDArray target;

        abstract int batch();

        /** Builds the reference generator (Adam) and fixed-seed input and target. */
        @Setup(Level.Trial)
        public void setUp() {
            BenchSupport.checkEnvironment();
            // The peer's optimizer, set here: the library's default generator rate is 1e-3 (AdamDefaults).
            generator = Generator.builder().updater(new Adam(2e-4, 0.5, 0.999, 1e-8)).build();
            x = BenchSupport.uniform(11, batch(), 3, 256, 256);
            target = BenchSupport.uniform(12, batch(), 3, 256, 256);
        }

        /** Prints the fork's peak RSS. */
        @TearDown(Level.Trial)
        public void tearDown(BenchmarkParams params) {
            BenchSupport.reportPeakRss(params);
        }

        double step() {
            INDArray out = generator.engine().forward(x, true);
            LossResult mse = ContentLoss.pixel().compute(out, target);
            // The peer's input does not require grad: parameter gradients only, as here.
            org.deeplearning4j.nn.gradient.Gradient grad = generator.engine().parameterGradient(mse.gradient());
            generator.engine().applyGradient(grad, batch());
            generator.engine().releaseActivations(x); // as GanTrainer does after each step, which also frees its temporaries:
            GradientCopy.release(grad);
            BenchSupport.close(mse.gradient(), out);
            return mse.value();
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

    /** One step at batch 1. */
    @Benchmark
    public double gen_train_mse_b1_256(B1 w) {
        return w.step();
    }

    /** One step at batch 4. */
    @Benchmark
    public double gen_train_mse_b4_256(B4 w) {
        return w.step();
    }
}
