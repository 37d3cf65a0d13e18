package org.stylegan.io.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The bad-input corpus of docs/reliability.md, generated in memory: every odd or broken image a user can hand
 * the library, each with its documented outcome. Shared by the io, core and CLI reliability tests (test-jar).
 */
public final class BadImageCorpus {
    private BadImageCorpus() {
    }

    /** What reading a case must do. */
    public enum Outcome {
        /** Converted to an RGB image of the stated size. */
        CONVERTED,
        /** Refused with an {@code ImageReadException} whose message names the file and contains a fragment. */
        REFUSED
    }

    /**
     * One corpus entry.
     *
     * @param name     short id, used in test names and docs
     * @param fileName file name to write it under (the extension may lie on purpose)
     * @param bytes    the file content
     * @param outcome  what {@code Images.read} must do
     * @param width    width when converted, else 0
     * @param height   height when converted, else 0
     * @param message  a fragment of the error message when refused (lower case), else null
     */
    public record Case(String name, String fileName, byte[] bytes, Outcome outcome, int width, int height,
                       String message) {
        /** Writes the case into {@code dir} and returns the file. */
        public Path write(Path dir) {
            try {
                return Files.write(dir.resolve(fileName), bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Every case, in a fixed order. */
    public static List<Case> all() {
        List<Case> c = new ArrayList<>();
        byte[] png = encode(photo(40, 30), "png");
        byte[] jpeg = encode(photo(40, 30), "jpeg");
        c.add(converted("valid-png", "ok.png", png, 40, 30));
        c.add(converted("png-named-jpg", "actually-png.jpg", png, 40, 30));
        c.add(converted("jpeg-named-png", "actually-jpeg.png", jpeg, 40, 30));
        c.add(refused("truncated-png", "truncated.png", Arrays.copyOf(png, png.length / 2), "truncated"));
        c.add(refused("truncated-jpeg", "truncated.jpg", Arrays.copyOf(jpeg, jpeg.length / 2), "truncated"));
        c.add(refused("header-only-png", "header-only.png", Arrays.copyOf(png, 40), "truncated"));
        c.add(refused("zero-bytes", "empty.png", new byte[0], "empty (0 bytes)"));
        byte[] noise = new byte[4096];
        new Random(5).nextBytes(noise);
        noise[0] = 0x13; // not a magic number of any format
        c.add(refused("random-bytes-jpg", "noise.jpg", noise, "not a supported image"));
        c.add(refused("text-as-png", "readme.png", "hello, not an image\n".getBytes(), "not a supported image"));
        c.add(refused("png-declares-100000x100000", "bomb.png", pngHeaderOnly(100_000, 100_000), "megapixels"));
        c.add(refused("png-declares-20000x20000", "huge.png", pngHeaderOnly(20_000, 20_000), "megapixels"));
        c.add(refused("jpeg-declares-20000x20000", "huge.jpg", withJpegSize(jpeg, 20_000, 20_000), "megapixels"));
        c.add(refused("gif-declares-20000x20000", "huge.gif", withGifSize(encode(indexed(8, 8), "gif"),
                20_000, 20_000), "megapixels"));
        c.add(converted("one-pixel", "dot.png", encode(photo(1, 1), "png"), 1, 1));
        c.add(converted("tiny-6x5", "tiny.png", encode(photo(6, 5), "png"), 6, 5));
        c.add(converted("sixteen-bit-rgb", "deep.png", encode(rgb16(20, 10), "png"), 20, 10));
        c.add(converted("sixteen-bit-gray", "deep-gray.png", encode(gray16(12, 9), "png"), 12, 9));
        c.add(converted("gray-8", "gray.jpg", encode(gray8(16, 16), "jpeg"), 16, 16));
        c.add(converted("palette-transparent-png", "palette.png", encode(indexed(10, 6), "png"), 10, 6));
        c.add(converted("palette-transparent-gif", "palette.gif", encode(indexed(10, 6), "gif"), 10, 6));
        c.add(converted("animated-gif", "anim.gif", animatedGif(), 8, 8));
        c.add(converted("argb-png", "alpha.png", encode(argb(9, 9), "png"), 9, 9));
        c.add(converted("bmp", "picture.bmp", encode(bgr(11, 7), "bmp"), 11, 7));
        c.add(refused("cmyk-jpeg", "print.jpg", cmykJpeg(), "cmyk jpeg is not supported"));
        return List.copyOf(c);
    }

    /** The cases that must be refused. */
    public static List<Case> refusedCases() {
        return all().stream().filter(k -> k.outcome() == Outcome.REFUSED).toList();
    }

    /** The cases that must convert. */
    public static List<Case> convertedCases() {
        return all().stream().filter(k -> k.outcome() == Outcome.CONVERTED).toList();
    }

    /** Valid seed images of every decoder (PNG, JPEG, GIF, BMP; gray, 16-bit, palette, alpha) for fuzzing. */
    public static List<byte[]> seeds() {
        return List.of(encode(photo(24, 16), "png"), encode(photo(24, 16), "jpeg"), encode(indexed(10, 6), "gif"),
                encode(bgr(11, 7), "bmp"), encode(rgb16(8, 6), "png"), encode(gray8(9, 9), "png"),
                encode(argb(7, 5), "png"), animatedGif());
    }

    private static Case converted(String name, String file, byte[] bytes, int w, int h) {
        return new Case(name, file, bytes, Outcome.CONVERTED, w, h, null);
    }

    private static Case refused(String name, String file, byte[] bytes, String message) {
        return new Case(name, file, bytes, Outcome.REFUSED, 0, 0, message);
    }

    // ------------------------------------------------------------------------------------------ generators

    /** A deterministic colourful image. */
    public static BufferedImage photo(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(w * 31L + h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int red = (x * 255 / Math.max(1, w - 1)) & 0xFF;
                int green = (y * 255 / Math.max(1, h - 1)) & 0xFF;
                img.setRGB(x, y, (red << 16) | (green << 8) | (100 + r.nextInt(60)));
            }
        }
        return img;
    }

    private static BufferedImage rgb16(int w, int h) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                new int[] {16, 16, 16}, false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(w, h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setPixel(x, y, new int[] {x * 3000, y * 6000, 65535 - x * 1000});
            }
        }
        return new BufferedImage(cm, raster, false, null);
    }

    private static BufferedImage gray16(int w, int h) {
        BufferedImage g = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                g.getRaster().setSample(x, y, 0, (x * 5000 + y * 300) & 0xFFFF);
            }
        }
        return g;
    }

    private static BufferedImage gray8(int w, int h) {
        BufferedImage g = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                g.getRaster().setSample(x, y, 0, (x * 16 + y) & 0xFF);
            }
        }
        return g;
    }

    private static BufferedImage indexed(int w, int h) {
        byte[] r = {(byte) 255, 0, 0, 0};
        byte[] g = {0, (byte) 255, 0, 0};
        byte[] b = {0, 0, (byte) 255, 0};
        IndexColorModel icm = new IndexColorModel(2, 4, r, g, b, 3); // index 3 transparent
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_BINARY, icm);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (x + y) % 4);
            }
        }
        return img;
    }

    private static BufferedImage argb(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x * 28) << 24) | 0x3366CC);
            }
        }
        return img;
    }

    private static BufferedImage bgr(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        img.getGraphics().drawImage(photo(w, h), 0, 0, null);
        return img;
    }

    private static byte[] animatedGif() {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.prepareWriteSequence(null);
            for (Color c : List.of(Color.RED, Color.BLUE, Color.GREEN)) {
                BufferedImage f = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_INDEXED);
                Graphics2D g = f.createGraphics();
                g.setColor(c);
                g.fillRect(0, 0, 8, 8);
                g.dispose();
                writer.writeToSequence(new IIOImage(f, null, null), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static byte[] cmykJpeg() {
        try (InputStream in = BadImageCorpus.class.getResourceAsStream("/images/cmyk.jpg")) {
            if (in == null) {
                throw new IllegalStateException("test resource /images/cmyk.jpg is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Encodes with ImageIO. */
    public static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no " + format + " writer for image type " + img.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A PNG signature, an IHDR chunk with a valid CRC declaring w x h RGB 8-bit, and IEND; no pixel data. */
    public static byte[] pngHeaderOnly(int w, int h) {
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

    /** A copy of a baseline JPEG whose SOF0 header declares another size (the scan data stays small). */
    static byte[] withJpegSize(byte[] jpeg, int w, int h) {
        byte[] b = jpeg.clone();
        for (int i = 2; i + 9 < b.length; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xC0) {
                b[i + 5] = (byte) (h >> 8);
                b[i + 6] = (byte) h;
                b[i + 7] = (byte) (w >> 8);
                b[i + 8] = (byte) w;
                return b;
            }
        }
        throw new IllegalStateException("no SOF0 marker in the JPEG");
    }

    /** A copy of a GIF whose logical screen and first image descriptor declare another size. */
    static byte[] withGifSize(byte[] gif, int w, int h) {
        byte[] b = gif.clone();
        putLe16(b, 6, w);
        putLe16(b, 8, h);
        int i = 13;
        if ((b[10] & 0x80) != 0) {
            i += 3 << ((b[10] & 7) + 1); // global colour table
        }
        while (i + 9 < b.length) {
            if (b[i] == 0x2C) { // image descriptor: separator, left, top, width, height
                putLe16(b, i + 5, w);
                putLe16(b, i + 7, h);
                return b;
            }
            if (b[i] != 0x21) {
                break;
            }
            i += 2; // extension introducer and label, then sub-blocks up to a zero-length one
            while (i < b.length && b[i] != 0) {
                i += (b[i] & 0xFF) + 1;
            }
            i++;
        }
        throw new IllegalStateException("no image descriptor in the GIF");
    }

    private static void putLe16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
    }

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }
}
