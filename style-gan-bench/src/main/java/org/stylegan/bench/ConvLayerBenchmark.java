package org.stylegan.bench;

import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stylegan.core.nn.NhwcConvolution2D;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Each convolution shape of the reference generator at 256x256, batch 1, alone: the generator's
 * {@link NhwcConvolution2D} (or, with {@code -p layer=dl4j}, DL4J's NCHW {@code ConvolutionLayer} on its oneDNN
 * helper), forward ({@code conv_fwd}) and forward + backward to input and parameters ({@code conv_fwdbwd}). Inputs are already reflection-padded (the conv itself pads nothing), as in the generator.
 * {@code style-gan-bench/peer_ops.py} times the same shapes in PyTorch.
 *
 * <p>Shapes (name: Cin->Cout, kernel/stride, padded input -> output): c0 3->32 9/1 264->256; down1 32->64 3/2
 * 258->128; down2 64->128 3/2 130->64; res 128->128 3/1 66->64 (10 of these per generator); up1 128->64 3/1
 * 130->128; up2 64->32 3/1 258->256; out 32->3 9/1 264->256.
 *
 * <p>How to run: {@code mvn -B -q -pl style-gan-bench -am package -DskipTests} then
 * {@code OMP_NUM_THREADS=2 java -jar style-gan-bench/target/benchmarks.jar ConvLayerBenchmark -p shape=res}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ConvLayerBenchmark {
    /** Which generator convolution. */
    @Param({"c0", "down1", "down2", "res", "up1", "up2", "out"})
    public String shape;

    /**
     * Implementation: {@code ours} (default) is the layer the networks use, {@link NhwcConvolution2D} on NHWC
     * activations (libnd4j's conv2d/conv2d_bp, oneDNN without layout reorders in forward); {@code dl4j} is DL4J's
     * {@code ConvolutionLayer} on NCHW with its oneDNN helper (what format-1 models run), for comparison.
     */
    @Param({"ours"})
    public String layer;

    private Layer conv;
    private INDArray x;
    private INDArray eps;

    /** Builds the layer on the oneDNN helper and fixed-seed input and output gradient. */
    @Setup(Level.Trial)
    public void setUp() {
        BenchSupport.checkEnvironment();
        int[] s = switch (shape) { // cin, cout, k, stride, padded input side
            case "c0" -> new int[] {3, 32, 9, 1, 264};
            case "down1" -> new int[] {32, 64, 3, 2, 258};
            case "down2" -> new int[] {64, 128, 3, 2, 130};
            case "res" -> new int[] {128, 128, 3, 1, 66};
            case "up1" -> new int[] {128, 64, 3, 1, 130};
            case "up2" -> new int[] {64, 32, 3, 1, 258};
            case "out" -> new int[] {32, 3, 9, 1, 264};
            default -> throw new IllegalArgumentException("unknown shape '" + shape + "'");
        };
        boolean ours = "ours".equals(layer);
        if (!ours && !"dl4j".equals(layer)) {
            throw new IllegalArgumentException("layer must be ours or dl4j, found '" + layer + "'");
        }
        conv = ours
                ? SingleLayer.create(new NhwcConvolution2D.Builder(s[2]).stride(s[3]).nIn(s[0]).nOut(s[1])
                        .activation(Activation.IDENTITY).build())
                : SingleLayer.create(new ConvolutionLayer.Builder(s[2], s[2]).stride(s[3], s[3]).padding(0, 0)
                        .convolutionMode(ConvolutionMode.Truncate).nIn(s[0]).nOut(s[1])
                        .activation(Activation.IDENTITY).dataFormat(CNN2DFormat.NCHW).build());
        if (!ours && ((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) conv).getHelper() == null) {
            throw new IllegalStateException("ConvolutionLayer has no oneDNN helper: the benchmark would time the"
                    + " built-in im2col path");
        }
        x = ours ? BenchSupport.uniform(41, 1, s[4], s[4], s[0]) : BenchSupport.uniform(41, 1, s[0], s[4], s[4]);
        INDArray out = SingleLayer.forward(conv, x);
        eps = BenchSupport.uniform(42, out.shape());
    }

    /** Forward only. */
    @Benchmark
    public INDArray conv_fwd() {
        return SingleLayer.forward(conv, x);
    }

    /** Forward, then backward to the input and the parameters. */
    @Benchmark
    public void conv_fwdbwd(Blackhole bh) {
        bh.consume(SingleLayer.forward(conv, x));
        bh.consume(SingleLayer.backward(conv, eps));
    }
}
