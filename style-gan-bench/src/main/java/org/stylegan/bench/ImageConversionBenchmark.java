package org.stylegan.bench;

import java.awt.image.BufferedImage;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
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
import org.stylegan.io.Images;

/**
 * Image to tensor and back with {@link Images} ({@code TYPE_INT_RGB} to [1, 3, H, W] in [-1, 1], and the
 * reverse with rounding), at the generator's working sizes. No peer counterpart: it shows that conversion is
 * negligible next to the network (milliseconds against hundreds).
 *
 * <p>How to run: {@code mvn -B -q -pl style-gan-bench -am package -DskipTests} then
 * {@code OMP_NUM_THREADS=2 java -jar style-gan-bench/target/benchmarks.jar ImageConversionBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Djava.awt.headless=true"})
public class ImageConversionBenchmark {
    /** Image side in pixels. */
    @Param({"256", "512"})
    public int size;

    private BufferedImage image;
    private INDArray tensor;

    /** Builds a fixed-seed noise image and its tensor. */
    @Setup(Level.Trial)
    public void setUp() {
        BenchSupport.checkEnvironment();
        image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(61);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        tensor = Images.toTensor(image);
    }

    /** BufferedImage to [1, 3, H, W] tensor. */
    @Benchmark
    public INDArray image_to_tensor() {
        return Images.toTensor(image);
    }

    /** [1, 3, H, W] tensor to BufferedImage. */
    @Benchmark
    public BufferedImage tensor_to_image() {
        return Images.toImage(tensor);
    }
}
