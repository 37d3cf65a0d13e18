package org.stylegan.bench;

import java.awt.image.BufferedImage;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
import org.stylegan.io.ImageOps;
import org.stylegan.io.Images;

/**
 * Image <-> tensor conversion speed ({@link Images#toTensor}, {@link Images#toImage}) against the naive
 * per-pixel {@code getRGB}/{@code putScalar} route, plus reflection padding for inference.
 *
 * <p>How to run: {@code mvn -pl style-gan-bench -am package -DskipTests}, then
 * {@code java -jar style-gan-bench/target/benchmarks.jar ImageConversionBenchmark}
 * (quick look: add {@code -wi 3 -i 5 -f 1}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ImageConversionBenchmark {
    @Param({"1024"})
    public int size;

    private BufferedImage rgb;
    private BufferedImage bgr;
    private INDArray tensor;

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(1);
        rgb = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int[] px = new int[size * size];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextInt(1 << 24);
        }
        rgb.getRaster().setDataElements(0, 0, size, size, px);
        bgr = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(rgb, 0, 0, null);
        tensor = Images.toTensor(rgb);
    }

    /**
     * Image (TYPE_INT_RGB) -> [1, 3, H, W] through the data buffer. The tensor is closed after use, as an
     * inference loop does; otherwise off-heap memory piles up until JavaCPP forces a full GC, and that
     * (not the conversion) dominates: see {@link #toTensorIntRgbNotClosed}.
     */
    @Benchmark
    public void toTensorIntRgb(Blackhole bh) {
        INDArray t = Images.toTensor(rgb);
        bh.consume(t);
        t.close();
    }

    /** Like {@link #toTensorIntRgb} but leaves the tensor to the garbage collector. */
    @Benchmark
    public INDArray toTensorIntRgbNotClosed() {
        return Images.toTensor(rgb);
    }

    /** Image (TYPE_3BYTE_BGR, what ImageIO gives for JPEG/RGB PNG) -> tensor through the data buffer. */
    @Benchmark
    public void toTensor3ByteBgr(Blackhole bh) {
        INDArray t = Images.toTensor(bgr);
        bh.consume(t);
        t.close();
    }

    /** Tensor -> image, with the NaN check and clamping. */
    @Benchmark
    public BufferedImage toImage() {
        return Images.toImage(tensor);
    }

    /** Baseline: per-pixel getRGB and putScalar, the route the library avoids. */
    @Benchmark
    public void toTensorNaivePerPixel(Blackhole bh) {
        INDArray t = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, size, size);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int p = rgb.getRGB(x, y);
                t.putScalar(new long[] {0, 0, y, x}, ((p >> 16) & 255) / 127.5 - 1);
                t.putScalar(new long[] {0, 1, y, x}, ((p >> 8) & 255) / 127.5 - 1);
                t.putScalar(new long[] {0, 2, y, x}, (p & 255) / 127.5 - 1);
            }
        }
        bh.consume(t);
        t.close();
    }

    /** Baseline: per-pixel getFloat and setRGB. */
    @Benchmark
    public BufferedImage toImageNaivePerPixel() {
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int r = Math.round((tensor.getFloat(0, 0, y, x) + 1) * 127.5f);
                int g = Math.round((tensor.getFloat(0, 1, y, x) + 1) * 127.5f);
                int b = Math.round((tensor.getFloat(0, 2, y, x) + 1) * 127.5f);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    /** Reflection padding of a 1021x1021 image to a multiple of 4 (inference path). */
    @Benchmark
    public void padToMultipleOf4(Blackhole bh) {
        INDArray p = ImageOps.padToMultiple(tensor.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, size - 3),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, size - 3)), 4).tensor();
        bh.consume(p);
        p.close();
    }
}
