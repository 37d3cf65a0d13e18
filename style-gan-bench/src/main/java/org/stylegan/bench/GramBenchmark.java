package org.stylegan.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.stylegan.losses.MultiLossResult;
import org.stylegan.losses.StyleLoss;

/**
 * Gram style loss forward + backward, the peer's {@code gram_fwdbwd_4x128x64x64}
 * ({@code F.mse_loss(gram(fg), gt).backward()} with fg [4, 128, 64, 64], gt [4, 128, 128], float32).
 *
 * <p>How to run: {@code mvn -B -pl style-gan-bench -am package -DskipTests} then
 * {@code OMP_NUM_THREADS=2 java -jar style-gan-bench/target/benchmarks.jar GramBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class GramBenchmark {

    private final StyleLoss loss = StyleLoss.builder().build();
    private INDArray features;
    private INDArray target;

    /** Fixed-seed inputs shaped like the peer's. */
    @Setup(Level.Trial)
    public void setUp() {
        BenchSupport.checkEnvironment();
        Nd4j.getRandom().setSeed(0);
        features = Nd4j.randn(DataType.FLOAT, 4, 128, 64, 64);
        target = Nd4j.randn(DataType.FLOAT, 4, 128, 128);
    }

    /** Forward (Gram + MSE) and backward (dL/dF); the gradient is freed after use, as PyTorch frees its own. */
    @Benchmark
    public double gram_fwdbwd_4x128x64x64(Blackhole bh) {
        MultiLossResult r = loss.computeGram(List.of(features), List.of(target));
        bh.consume(r.gradient(0));
        BenchSupport.close(r.gradient(0));
        return r.value();
    }
}
