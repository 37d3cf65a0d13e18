package org.stylegan.bench;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.stylegan.core.nn.InstanceNormalization;

/**
 * Instance normalization with the fused ReLU, as every inner generator block uses it, on [1, 128, 64, 64]
 * (the residual blocks' shape): forward ({@code in_relu_fwd_1x128x64x64}) and forward + backward to input and
 * scale/shift ({@code in_relu_fwdbwd_1x128x64x64}). {@code style-gan-bench/peer_ops.py} times
 * {@code relu(instance_norm(x, affine))} the same way in PyTorch.
 *
 * <p>How to run: {@code mvn -B -q -pl style-gan-bench -am package -DskipTests} then
 * {@code OMP_NUM_THREADS=2 java -jar style-gan-bench/target/benchmarks.jar InstanceNormBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class InstanceNormBenchmark {
    private Layer layer;
    private INDArray x;
    private INDArray eps;

    /** Builds the layer (gamma 1, beta 0) and fixed-seed input and output gradient. */
    @Setup(Level.Trial)
    public void setUp() {
        BenchSupport.checkEnvironment();
        // NHWC, as the networks run it.
        layer = SingleLayer.create(new InstanceNormalization.Builder().channels(128).activation(Activation.RELU)
                .dataFormat(org.deeplearning4j.nn.conf.CNN2DFormat.NHWC).build());
        x = BenchSupport.uniform(51, 1, 64, 64, 128);
        eps = BenchSupport.uniform(52, 1, 64, 64, 128);
    }

    /** Forward only (training mode: keeps what backward needs, as in a training step). */
    @Benchmark
    public INDArray in_relu_fwd_1x128x64x64() {
        return SingleLayer.forward(layer, x);
    }

    /** Forward, then backward. */
    @Benchmark
    public void in_relu_fwdbwd_1x128x64x64(Blackhole bh) {
        bh.consume(SingleLayer.forward(layer, x));
        bh.consume(SingleLayer.backward(layer, eps));
    }
}
