package org.stylegan.bench;

import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
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
import org.openjdk.jmh.infra.Blackhole;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.internal.TrainableGraph;
import org.stylegan.losses.AdversarialLoss;
import org.stylegan.losses.LossResult;

/**
 * Discriminator forward + backward, the peer's {@code disc_fwdbwd_b4_256}: the reference 70x70 PatchGAN on four
 * 256x256 images, BCE-with-logits against "real", gradients for the parameters and the input, no update.
 *
 * <p>How to run: {@code mvn -B -q -pl style-gan-bench -am package -DskipTests} then
 * {@code OMP_NUM_THREADS=2 java -jar style-gan-bench/target/benchmarks.jar DiscriminatorBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class DiscriminatorBenchmark {
    private final AdversarialLoss bce = AdversarialLoss.bce();
    private Discriminator discriminator;
    private INDArray x;

    /** Builds the reference discriminator and a fixed-seed batch. */
    @Setup(Level.Trial)
    public void setUp() {
        BenchSupport.checkEnvironment();
        discriminator = Discriminator.builder().build();
        x = BenchSupport.uniform(21, 4, 3, 256, 256);
    }

    /** Prints the fork's peak RSS. */
    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        BenchSupport.reportPeakRss(params);
    }

    /** Forward, BCE to ones, backward to parameters and input. */
    @Benchmark
    public void disc_fwdbwd_b4_256(Blackhole bh) {
        INDArray logits = discriminator.engine().forward(x, true);
        LossResult loss = bce.compute(logits, true);
        TrainableGraph.Backward b = discriminator.engine().backward(loss.gradient());
        bh.consume(loss.value());
        bh.consume(b.inputGradient());
        bh.consume(b.paramGradient());
        discriminator.engine().releaseActivations(x); // as a training loop (GanTrainer) does after each step, and frees:
        b.close(); // input gradient and parameter gradient copy
        BenchSupport.close(loss.gradient(), logits);
    }
}
