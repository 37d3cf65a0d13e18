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
import org.stylegan.core.net.Generator;

/**
 * Generator inference (the reference transformer net, float32, NCHW), the peer's {@code gen_infer_*} workloads:
 * {@code g(x)} under {@code torch.inference_mode()} with x uniform in [-1, 1].
 *
 * <p>How to run: {@code mvn -B -q -pl style-gan-bench -am package -DskipTests} then
 * {@code OMP_NUM_THREADS=2 java -jar style-gan-bench/target/benchmarks.jar GeneratorInferenceBenchmark}
 * (or {@code style-gan-bench/compare.sh} for the whole comparison with the peer).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class GeneratorInferenceBenchmark {
    private Generator generator;
    private INDArray b1x256;
    private INDArray b4x256;
    private INDArray b1x512;

    /** Builds the reference generator and fixed-seed inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        BenchSupport.checkEnvironment();
        generator = Generator.builder().build();
        b1x256 = BenchSupport.uniform(1, 1, 3, 256, 256);
        b4x256 = BenchSupport.uniform(2, 4, 3, 256, 256);
        b1x512 = BenchSupport.uniform(3, 1, 3, 512, 512);
    }

    /** Prints the fork's peak RSS. */
    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) {
        BenchSupport.reportPeakRss(params);
    }

    /** One 256x256 image. */
    @Benchmark
    public INDArray gen_infer_b1_256() {
        return generator.output(b1x256);
    }

    /** Four 256x256 images. */
    @Benchmark
    public INDArray gen_infer_b4_256() {
        return generator.output(b4x256);
    }

    /** One 512x512 image. */
    @Benchmark
    public INDArray gen_infer_b1_512() {
        return generator.output(b1x512);
    }
}
