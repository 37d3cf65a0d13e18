package org.stylegan.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
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
import org.stylegan.core.net.DiscriminatorConfig;
import org.stylegan.core.net.GeneratorConfig;
import org.stylegan.core.train.ContentSource;
import org.stylegan.core.train.GanTrainer;
import org.stylegan.core.train.TrainerConfig;
import org.stylegan.losses.AdversarialLoss;

/**
 * One full GAN iteration, the peer's {@code gan_iter_b1_256} and {@code gan_iter_b4_256}, timed on the shipped
 * trainer's own {@link GanTrainer#step()} with the peer's workload as explicit settings ({@link #peerConfig}):
 * fixed random content and style batches at 256 px, reference generator and PatchGAN, the random feature network
 * tapped at relu1_2/relu2_2 (style) and relu2_2 (content), alpha 1, beta 10, gamma 1, tv 1e-4 without
 * auto-balance, BCE, Adam lr 2e-4 betas (0.5, 0.999) on both networks. The fork's peak RSS is printed after the
 * run ({@code compare.sh} puts the batch-4 value next to its time).
 *
 * <p>Differences in the work itself: the trainer's discriminator step takes the generator's training-mode output
 * of the step as its fakes, where the peer runs a separate no-grad generator pass (one generator forward less per
 * iteration); the style target is the mean Gram of the style images, where the peer keeps one Gram per image (the
 * same cost); each real image is drawn at random among the style images; the trainer also checks outputs and
 * gradients for NaN/Inf and measures D(real)/D(fake).
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
    static final int SIZE = 256;

    /** The peer's {@code gan_iter} workload as trainer settings. */
    static TrainerConfig peerConfig(int batch) {
        return TrainerConfig.builder().imageSize(SIZE).styleSize(SIZE).discriminatorCrop(SIZE).batchSize(batch)
                .alpha(1).beta(10).gamma(1).tv(1e-4).autoBalance(false)
                .adversarialLoss(AdversarialLoss.Kind.BCE)
                .lrGenerator(2e-4).lrDiscriminator(2e-4).betasGenerator(0.5, 0.999).betasDiscriminator(0.5, 0.999)
                .styleTaps("relu1_2", "relu2_2").contentTap("relu2_2").featureSeed(7)
                .generator(GeneratorConfig.defaults()).discriminator(DiscriminatorConfig.defaults())
                .seed(31).steps(Integer.MAX_VALUE).build();
    }

    /**
     * A trainer on the peer's workload: content a fixed-seed uniform batch, style images the {@code batch} images
     * of another (as the peer's {@code torch.rand(b, 3, 256, 256) * 2 - 1}).
     */
    static GanTrainer peerTrainer(int batch) {
        INDArray content = BenchSupport.uniform(31, batch, 3, SIZE, SIZE);
        INDArray style = BenchSupport.uniform(32, batch, 3, SIZE, SIZE);
        List<INDArray> styles = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            styles.add(style.get(NDArrayIndex.interval(i, i + 1)).dup());
        }
        return GanTrainer.create(peerConfig(batch), ContentSource.fixed(List.of(content)), styles);
    }

    /** The trainer for one batch size. */
    public abstract static class Workload {
        GanTrainer trainer;

        abstract int batch();

        /** Builds the trainer: networks, feature network and the style Gram targets. */
        @Setup(Level.Trial)
        public void setUp() {
            BenchSupport.checkEnvironment();
            trainer = peerTrainer(batch());
        }

        /** Prints the fork's peak RSS. */
        @TearDown(Level.Trial)
        public void tearDown(BenchmarkParams params) {
            trainer.close();
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
        return w.trainer.step().total();
    }

    /** One iteration at batch 4. */
    @Benchmark
    public double gan_iter_b4_256(B4 w) {
        return w.trainer.step().total();
    }
}
