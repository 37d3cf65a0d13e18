package org.stylegan.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stylegan.io.TestSupport.encode;
import static org.stylegan.io.TestSupport.rgb;

import java.awt.Color;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImagesTest {
    @TempDir
    Path dir;

    // ---------------------------------------------------------------------------------- round trips

    @Test
    void imageToTensorToImageIsExactFor8Bit() {
        BufferedImage img = TestSupport.noiseImage(37, 23, 1);
        INDArray t = Images.toTensor(img);
        assertThat(t.shape()).containsExactly(1, 3, 23, 37);
        assertThat(t.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(t.minNumber().doubleValue()).isGreaterThanOrEqualTo(-1.0);
        assertThat(t.maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
        BufferedImage back = Images.toImage(t);
        assertThat(rgb(back)).containsExactly(rgb(img)); // within 1 LSB holds trivially: it is exact
    }

    @Test
    void tensorLayoutIsNchwWithExpectedValues() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF0080);
        img.setRGB(1, 0, 0x00FF00);
        INDArray t = Images.toTensor(img);
        assertThat(t.getFloat(0, 0, 0, 0)).isEqualTo(1f);
        assertThat(t.getFloat(0, 1, 0, 0)).isEqualTo(-1f);
        assertThat(t.getFloat(0, 2, 0, 0)).isCloseTo(128 * 2f / 255 - 1, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(t.getFloat(0, 1, 0, 1)).isEqualTo(1f);
        assertThat(t.getFloat(0, 0, 0, 1)).isEqualTo(-1f);
    }

    @Test
    void bgrAndSubimageInputsGiveTheSameTensor() {
        BufferedImage img = TestSupport.noiseImage(20, 16, 2);
        BufferedImage bgr = new BufferedImage(20, 16, BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(img, 0, 0, null);
        TestSupport.assertAllClose(Images.toTensor(bgr), Images.toTensor(img), 0, 0);
        BufferedImage sub = img.getSubimage(3, 5, 10, 7);
        INDArray expected = Images.toTensor(img).get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(5, 12),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 13));
        TestSupport.assertAllClose(Images.toTensor(sub), expected, 0, 0);
        TestSupport.assertAllClose(Images.toTensor(bgr.getSubimage(3, 5, 10, 7)), expected, 0, 0);
    }

    @Test
    void batchStacksAndToImagesSplits() {
        List<BufferedImage> imgs = List.of(TestSupport.noiseImage(8, 6, 3), TestSupport.noiseImage(8, 6, 4),
                TestSupport.noiseImage(8, 6, 5));
        INDArray b = Images.batch(imgs);
        assertThat(b.shape()).containsExactly(3, 3, 6, 8);
        List<BufferedImage> back = Images.toImages(b);
        for (int i = 0; i < 3; i++) {
            assertThat(rgb(back.get(i))).containsExactly(rgb(imgs.get(i)));
        }
        // A view into the batch (non-zero offset) converts like a dense array.
        BufferedImage second = Images.toImage(b.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all()));
        assertThat(rgb(second)).containsExactly(rgb(imgs.get(1)));
        assertThatThrownBy(() -> Images.batch(List.of(imgs.get(0), TestSupport.noiseImage(6, 6, 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image 1 is 6x6");
        assertThatThrownBy(() -> Images.toImage(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("toImages");
    }

    @Test
    void toImageClampsOutOfRangeAndAcceptsChwAndDouble() {
        INDArray t = Nd4j.create(new double[] {-3, 2, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1},
                new long[] {3, 1, 2}, 'c');
        BufferedImage img = Images.toImage(t);
        // channel 0: -3 -> 0, 2 -> 255; channel 1: 0 -> 128, +inf -> 255; channel 2: -inf -> 0, 1 -> 255
        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x008000);
        assertThat(img.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }

    @Test
    void toImageRejectsNaNNamingThePosition() {
        INDArray t = Nd4j.zeros(DataType.FLOAT, 1, 3, 4, 5);
        t.putScalar(new long[] {0, 1, 2, 3}, Float.NaN);
        assertThatThrownBy(() -> Images.toImage(t)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN at channel 1, y 2, x 3");
        assertThatThrownBy(() -> Images.writePng(t, dir.resolve("nan.png")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dir.resolve("nan.png")).doesNotExist();
    }

    @Test
    void oneByOneImage() throws IOException {
        BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x123456);
        Path f = dir.resolve("one.png");
        Images.writePng(img, f);
        BufferedImage back = Images.read(f);
        assertThat(back.getWidth()).isEqualTo(1);
        INDArray t = Images.toTensor(back);
        assertThat(t.shape()).containsExactly(1, 3, 1, 1);
        assertThat(Images.toImage(t).getRGB(0, 0) & 0xFFFFFF).isEqualTo(0x123456);
    }

    // ---------------------------------------------------------------------------------- odd formats

    @Test
    void grayscaleIsExpandedWithoutGammaChange() throws IOException {
        BufferedImage gray = new BufferedImage(16, 4, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = gray.getRaster();
        for (int x = 0; x < 16; x++) {
            for (int y = 0; y < 4; y++) {
                r.setSample(x, y, 0, x * 17);
            }
        }
        BufferedImage img = Images.read(new ByteArrayInputStream(encode(gray, "png")));
        assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 16; x++) {
            int v = x * 17;
            assertThat(img.getRGB(x, 2) & 0xFFFFFF).as("x=%d", x).isEqualTo((v << 16) | (v << 8) | v);
        }
    }

    @Test
    void sixteenBitGrayIsScaledTo8Bit() throws IOException {
        BufferedImage g16 = new BufferedImage(8, 2, BufferedImage.TYPE_USHORT_GRAY);
        int[] values = {0, 257, 1000, 32768, 40000, 65000, 65534, 65535};
        for (int x = 0; x < 8; x++) {
            g16.getRaster().setSample(x, 0, 0, values[x]);
            g16.getRaster().setSample(x, 1, 0, values[x]);
        }
        Path f = dir.resolve("g16.png");
        Files.write(f, encode(g16, "png"));
        BufferedImage img = Images.read(f);
        for (int x = 0; x < 8; x++) {
            int expected = (int) Math.round(values[x] * 255.0 / 65535.0);
            assertThat(img.getRGB(x, 1) & 0xFF).as("value %d", values[x]).isEqualTo(expected);
            assertThat((img.getRGB(x, 1) >> 16) & 0xFF).isEqualTo(expected);
        }
    }

    @Test
    void sixteenBitRgbIsScaledTo8Bit() throws IOException {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                new int[] {16, 16, 16}, false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(4, 3);
        BufferedImage img16 = new BufferedImage(cm, raster, false, null);
        raster.setPixel(1, 1, new int[] {65535, 32896, 0});
        raster.setPixel(2, 2, new int[] {1000, 20000, 60000});
        byte[] png = encode(img16, "png");
        assertThat(ImageIO.read(new ByteArrayInputStream(png)).getColorModel().getComponentSize(0)).isEqualTo(16);
        BufferedImage img = Images.read(new ByteArrayInputStream(png));
        assertThat(img.getRGB(1, 1) & 0xFFFFFF).isEqualTo(0xFF8000);
        int r = (int) Math.round(1000 * 255.0 / 65535);
        int g = (int) Math.round(20000 * 255.0 / 65535);
        int b = (int) Math.round(60000 * 255.0 / 65535);
        assertThat(img.getRGB(2, 2) & 0xFFFFFF).isEqualTo((r << 16) | (g << 8) | b);
        assertThat(img.getRGB(0, 0) & 0xFFFFFF).isZero();
    }

    @Test
    void alphaIsCompositedOnWhiteByDefaultAndOnAConfiguredColour() throws IOException {
        BufferedImage argb = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00123456); // fully transparent
        argb.setRGB(1, 0, 0x80FF0000); // half red
        argb.setRGB(2, 0, 0xFF0000FF); // opaque blue
        byte[] png = encode(argb, "png");
        BufferedImage onWhite = Images.read(new ByteArrayInputStream(png));
        assertThat(onWhite.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFFFFFF);
        int mix = (255 * 127 + 127) / 255; // 0x80 alpha: 128/255 red over 127/255 white
        assertThat(onWhite.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0xFF0000 | (mix << 8) | mix);
        assertThat(onWhite.getRGB(2, 0) & 0xFFFFFF).isEqualTo(0x0000FF);

        ImageReadOptions black = ImageReadOptions.builder().background(Color.BLACK).build();
        BufferedImage onBlack = Images.read(new ByteArrayInputStream(png), black);
        assertThat(onBlack.getRGB(0, 0) & 0xFFFFFF).isZero();
        assertThat(onBlack.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x800000);
        // The same compositing for in-memory images.
        assertThat(Images.toRgb(argb, black).getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x800000);
    }

    @Test
    void indexedPaletteWithTransparencyInPngAndGif() throws IOException {
        byte[] r = {(byte) 255, 0, 0, 0};
        byte[] g = {0, (byte) 255, 0, 0};
        byte[] b = {0, 0, (byte) 255, 0};
        IndexColorModel icm = new IndexColorModel(2, 4, r, g, b, 3); // index 3 transparent
        BufferedImage indexed = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY, icm);
        for (int x = 0; x < 4; x++) {
            indexed.getRaster().setSample(x, 0, 0, x);
        }
        ImageReadOptions grey = ImageReadOptions.builder().background(0x808080).build();
        for (String format : List.of("png", "gif")) {
            byte[] bytes = encode(indexed, format);
            assertThat(ImageIO.read(new ByteArrayInputStream(bytes)).getColorModel())
                    .as(format).isInstanceOf(IndexColorModel.class);
            BufferedImage img = Images.read(new ByteArrayInputStream(bytes), grey);
            assertThat(rgb(img)).as(format).containsExactly(0xFFFF0000, 0xFF00FF00, 0xFF0000FF, 0xFF808080);
        }
    }

    @Test
    void gifGivesTheFirstFrame() throws IOException {
        BufferedImage red = indexedSolid(0xFF0000);
        BufferedImage blue = indexedSolid(0x0000FF);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.prepareWriteSequence(null);
            writer.writeToSequence(new IIOImage(red, null, null), null);
            writer.writeToSequence(new IIOImage(blue, null, null), null);
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        Path f = dir.resolve("anim.gif");
        Files.write(f, out.toByteArray());
        assertThat(ImageIO.getImageReadersByFormatName("gif").next()).isNotNull();
        BufferedImage img = Images.read(f);
        assertThat(img.getRGB(2, 2) & 0xFFFFFF).isEqualTo(0xFF0000);
    }

    private static BufferedImage indexedSolid(int rgb) {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(new Color(rgb));
        g.fillRect(0, 0, 4, 4);
        g.dispose();
        return img;
    }

    @Test
    void bmpIsReadExactly() throws IOException {
        BufferedImage img = TestSupport.noiseImage(9, 7, 6);
        BufferedImage bgr = new BufferedImage(9, 7, BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(img, 0, 0, null);
        Path f = dir.resolve("x.bmp");
        Files.write(f, encode(bgr, "bmp"));
        assertThat(rgb(Images.read(f))).containsExactly(rgb(img));
    }

    @Test
    void formatIsDetectedFromContentNotName() throws IOException {
        BufferedImage img = TestSupport.noiseImage(5, 5, 7);
        Path f = dir.resolve("actually-png.jpg");
        Files.write(f, encode(img, "png"));
        assertThat(rgb(Images.read(f))).containsExactly(rgb(img));
    }

    @Test
    void cmykJpegIsRefusedWithAFix() throws IOException {
        byte[] ycck;
        try (InputStream in = getClass().getResourceAsStream("/images/cmyk.jpg")) {
            ycck = in.readAllBytes();
        }
        Path f = dir.resolve("print.jpg");
        Files.write(f, ycck);
        assertThatThrownBy(() -> Images.read(f)).isInstanceOf(ImageReadException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("CMYK JPEG is not supported; convert to RGB, e.g.")
                .satisfies(e -> assertThat(((ImageReadException) e).file()).contains(f));
        // The same file with the Adobe transform patched to 0 (plain CMYK, not YCCK).
        int at = indexOf(ycck, "Adobe".getBytes(java.nio.charset.StandardCharsets.US_ASCII)) + 11;
        assertThat(ycck[at]).isEqualTo((byte) 2);
        byte[] cmyk = ycck.clone();
        cmyk[at] = 0;
        assertThatThrownBy(() -> Images.read(new ByteArrayInputStream(cmyk))).isInstanceOf(ImageReadException.class)
                .hasMessageContaining("is a CMYK JPEG (4 colour components)");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void truncatedPngAndJpegAreErrors() throws IOException {
        byte[] png = encode(TestSupport.noiseImage(32, 32, 8), "png");
        Path p = dir.resolve("cut.png");
        Files.write(p, Arrays.copyOf(png, png.length / 2));
        assertThatThrownBy(() -> Images.read(p)).isInstanceOf(ImageReadException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("truncated");

        byte[] jpg = encode(TestSupport.noiseImage(32, 32, 9), "jpeg");
        Path j = dir.resolve("cut.jpg");
        Files.write(j, Arrays.copyOf(jpg, jpg.length * 2 / 3));
        assertThatThrownBy(() -> Images.read(j)).isInstanceOf(ImageReadException.class)
                .hasMessageContaining(j.toString()).hasMessageContaining("truncated");
    }

    @Test
    void zeroByteFileIsAnError() throws IOException {
        Path f = Files.createFile(dir.resolve("empty.png"));
        assertThatThrownBy(() -> Images.read(f)).isInstanceOf(ImageReadException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("empty (0 bytes)");
    }

    @Test
    void randomBytesAreNotAnImage() throws IOException {
        byte[] junk = new byte[500];
        new Random(3).nextBytes(junk);
        junk[0] = 'x';
        Path f = dir.resolve("junk.png");
        Files.write(f, junk);
        assertThatThrownBy(() -> Images.read(f)).isInstanceOf(ImageReadException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("not a supported image");
    }

    @Test
    void missingFileIsAnError() {
        Path f = dir.resolve("nope.png");
        assertThatThrownBy(() -> Images.read(f)).isInstanceOf(ImageReadException.class)
                .hasMessageContaining("not found").hasMessageContaining(f.toString());
    }

    @Test
    void hugeDeclaredDimensionsAreRefusedBeforeDecoding() throws IOException {
        Path f = dir.resolve("bomb.png");
        Files.write(f, pngHeaderOnly(100_000, 100_000));
        assertThatThrownBy(() -> Images.read(f)).isInstanceOf(ImageReadException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("100000x100000")
                .hasMessageContaining("over the limit of 64.0 megapixels")
                .hasMessageContaining("maxPixels");
    }

    @Test
    void pixelLimitIsConfigurable() throws IOException {
        byte[] png = encode(TestSupport.noiseImage(4, 4, 1), "png");
        assertThatThrownBy(() -> Images.read(new ByteArrayInputStream(png),
                ImageReadOptions.builder().maxPixels(15).build()))
                .isInstanceOf(ImageReadException.class).hasMessageContaining("4x4");
        assertThat(Images.read(new ByteArrayInputStream(png), ImageReadOptions.builder().maxPixels(16).build())
                .getWidth()).isEqualTo(4);
        assertThatThrownBy(() -> ImageReadOptions.builder().maxPixels(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPixels must be >= 1, found 0");
    }

    /** A PNG signature, an IHDR chunk with valid CRC declaring w x h RGB 8-bit, and IEND; no pixel data. */
    static byte[] pngHeaderOnly(int w, int h) {
        ByteBuffer bb = ByteBuffer.allocate(8 + 25 + 12);
        bb.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put(new byte[] {'I', 'H', 'D', 'R'}).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        bb.putInt(13).put(ihdr.array()).putInt((int) crc(ihdr.array()));
        byte[] iend = {'I', 'E', 'N', 'D'};
        bb.putInt(0).put(iend).putInt((int) crc(iend));
        return bb.array();
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    // ---------------------------------------------------------------------------------------- writing

    @Test
    void writePngRoundTripsAndLeavesNoTempFiles() throws IOException {
        BufferedImage img = TestSupport.noiseImage(17, 11, 10);
        Path f = dir.resolve("sub/out.png");
        Images.writePng(img, f);
        Images.writePng(Images.toTensor(img), f); // overwrite through the tensor path
        assertThat(rgb(Images.read(f))).containsExactly(rgb(img));
        try (var files = Files.list(f.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("out.png");
        }
    }

    @Test
    void writeJpegHonoursQuality() throws IOException {
        BufferedImage img = TestSupport.noiseImage(48, 48, 11);
        Path lo = dir.resolve("lo.jpg");
        Path hi = dir.resolve("hi.jpeg");
        Images.writeJpeg(img, lo, 0.2f);
        Images.writeJpeg(img, hi, 1.0f);
        assertThat(Files.size(lo)).isLessThan(Files.size(hi));
        BufferedImage smooth = TestSupport.smoothImage(32, 32);
        Path s = dir.resolve("smooth.jpg");
        Images.write(smooth, s);
        assertThat(TestSupport.maxChannelDiff(Images.read(s), smooth)).isLessThanOrEqualTo(6);
        assertThatThrownBy(() -> Images.writeJpeg(img, lo, 1.5f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("quality must be in [0, 1], found 1.5");
        assertThatThrownBy(() -> Images.write(img, dir.resolve("x.tiff")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".png, .jpg");
    }

    @Test
    void writeJpegCompositesAlpha() throws IOException {
        BufferedImage argb = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB); // all transparent
        Path f = dir.resolve("a.jpg");
        Images.writeJpeg(argb, f, 0.95f);
        assertThat(Images.read(f).getRGB(4, 4) & 0xFFFFFF).isEqualTo(0xFFFFFF);
    }
}
