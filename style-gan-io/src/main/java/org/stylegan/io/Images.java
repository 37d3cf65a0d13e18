package org.stylegan.io;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads, converts and writes images: files and streams (PNG, JPEG, BMP, GIF first frame; 8 and 16 bit;
 * grayscale, indexed, with alpha) to {@code TYPE_INT_RGB} images, and images to NCHW float tensors in
 * [-1, 1] and back.
 *
 * <p>Pixel value {@code p} in 0..255 maps to {@code p * 2 / 255 - 1}; the way back rounds to the
 * nearest level, so an 8-bit image survives image -> tensor -> image exactly. Gray values are taken as
 * display values (like every viewer does), not converted from a linear gray colour space. Transparent
 * pixels are composited on {@link ImageReadOptions#background()} (white by default).
 *
 * <p>All methods are thread-safe.
 */
public final class Images {
    private static final float[] TO_UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            TO_UNIT[i] = i * (2f / 255f) - 1f;
        }
    }

    private Images() {
    }

    // ------------------------------------------------------------------------------------------ reading

    /** Reads an image file with the default options; see {@link #read(Path, ImageReadOptions)}. */
    public static BufferedImage read(Path file) throws ImageReadException {
        return read(file, ImageReadOptions.defaults());
    }

    /**
     * Reads an image file into a {@code TYPE_INT_RGB} image. The format is detected from the content,
     * not the file name.
     *
     * @throws ImageReadException if the file is missing, empty, not an image, truncated or corrupt, in
     *                            an unsupported encoding (CMYK JPEG), or over {@code options.maxPixels()}
     */
    public static BufferedImage read(Path file, ImageReadOptions options) throws ImageReadException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageReadException(file, "image file not found: " + file, e);
        } catch (IOException e) {
            throw new ImageReadException(file, "cannot read image file " + file + ": " + e, e);
        }
        return decode(bytes, file.toString(), file, options);
    }

    /** Reads an image from a stream with the default options. The stream is read to its end, not closed. */
    public static BufferedImage read(InputStream in) throws ImageReadException {
        return read(in, ImageReadOptions.defaults());
    }

    /** Reads an image from a stream into a {@code TYPE_INT_RGB} image. The stream is read to its end, not closed. */
    public static BufferedImage read(InputStream in, ImageReadOptions options) throws ImageReadException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(options, "options");
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ImageReadException(null, "cannot read image stream: " + e, e);
        }
        return decode(bytes, "image stream", null, options);
    }

    /** Converts any image to {@code TYPE_INT_RGB} on a white background; see {@link #toRgb(BufferedImage, ImageReadOptions)}. */
    public static BufferedImage read(BufferedImage image) {
        return toRgb(image, ImageReadOptions.defaults());
    }

    /**
     * Converts any image to {@code TYPE_INT_RGB}: gray expanded to RGB, 16-bit scaled to 8-bit (rounded),
     * palettes resolved, alpha composited on {@code options.background()}. A {@code TYPE_INT_RGB} input
     * is returned as is (not copied).
     *
     * @throws IllegalArgumentException for CMYK or other unsupported colour models
     */
    public static BufferedImage toRgb(BufferedImage image, ImageReadOptions options) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(options, "options");
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            packBgr(image, dst);
            return out;
        }
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        int bg = options.background();
        int csType = cm.getColorSpace().getType();
        boolean integral = raster.getTransferType() == DataBuffer.TYPE_BYTE
                || raster.getTransferType() == DataBuffer.TYPE_USHORT
                || raster.getTransferType() == DataBuffer.TYPE_SHORT
                || raster.getTransferType() == DataBuffer.TYPE_INT;
        if (csType == ColorSpace.TYPE_CMYK) {
            throw new IllegalArgumentException("CMYK images are not supported; convert to RGB first");
        }
        if (cm instanceof IndexColorModel icm) {
            int[] lut = new int[icm.getMapSize()];
            icm.getRGBs(lut);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int idx = row[x];
                    int argb = idx < lut.length ? lut[idx] : 0xFF000000;
                    dst[y * w + x] = composite(argb, bg);
                }
            }
        } else if (integral && !cm.isAlphaPremultiplied() && !(cm instanceof java.awt.image.DirectColorModel)
                && (csType == ColorSpace.TYPE_GRAY || csType == ColorSpace.TYPE_RGB)
                && raster.getNumBands() == cm.getNumComponents()) {
            // Component images (8/16-bit gray, gray+alpha, RGB, RGBA): read the raw samples so gray is not
            // pushed through Java2D's linear-gray -> sRGB conversion, and 16-bit values are rounded once.
            int colours = cm.getNumColorComponents();
            boolean alpha = cm.hasAlpha();
            int bands = raster.getNumBands();
            int[][] rows = new int[bands][w];
            long[] max = new long[bands];
            for (int b = 0; b < bands; b++) {
                max[b] = (1L << cm.getComponentSize(b)) - 1;
            }
            for (int y = 0; y < h; y++) {
                for (int b = 0; b < bands; b++) {
                    raster.getSamples(0, y, w, 1, b, rows[b]);
                }
                for (int x = 0; x < w; x++) {
                    int r = to8(rows[0][x], max[0]);
                    int g = colours == 1 ? r : to8(rows[1][x], max[1]);
                    int bl = colours == 1 ? r : to8(rows[2][x], max[2]);
                    int a = alpha ? to8(rows[colours][x], max[colours]) : 255;
                    dst[y * w + x] = composite((a << 24) | (r << 16) | (g << 8) | bl, bg);
                }
            }
        } else {
            // Everything else (packed ARGB, premultiplied, other colour spaces): Java2D's colour-managed
            // conversion to non-premultiplied sRGB ARGB, one row at a time (bulk, not per pixel).
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    dst[y * w + x] = composite(row[x], bg);
                }
            }
        }
        return out;
    }

    private static int to8(int v, long max) {
        if (max == 255) {
            return v & 0xFF;
        }
        long u = v & 0xFFFFFFFFL;
        return (int) Math.min(255, (u * 255 + max / 2) / max);
    }

    /** Composites non-premultiplied ARGB on an opaque 0xRRGGBB background, returning 0xRRGGBB. */
    private static int composite(int argb, int bg) {
        int a = argb >>> 24;
        if (a == 255) {
            return argb & 0xFFFFFF;
        }
        if (a == 0) {
            return bg;
        }
        int na = 255 - a;
        int r = (((argb >> 16) & 255) * a + ((bg >> 16) & 255) * na + 127) / 255;
        int g = (((argb >> 8) & 255) * a + ((bg >> 8) & 255) * na + 127) / 255;
        int b = ((argb & 255) * a + (bg & 255) * na + 127) / 255;
        return (r << 16) | (g << 8) | b;
    }

    private static BufferedImage decode(byte[] bytes, String name, Path file, ImageReadOptions options)
            throws ImageReadException {
        if (bytes.length == 0) {
            throw new ImageReadException(file, name + " is empty (0 bytes): not an image");
        }
        checkJpegEncoding(bytes, name, file);
        try (ImageInputStream iis = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) {
                throw new ImageReadException(file, name + " is not a supported image (PNG, JPEG, BMP or GIF): "
                        + "unrecognised content starting with " + hexPrefix(bytes));
            }
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toUpperCase(Locale.ROOT);
            try {
                reader.setInput(iis, true, true);
                int w;
                int h;
                try {
                    w = reader.getWidth(0);
                    h = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw new ImageReadException(file, name + " is a corrupt or truncated " + format
                            + " file: cannot read its header (" + e.getMessage() + ")", e);
                }
                if (w <= 0 || h <= 0) {
                    throw new ImageReadException(file, name + " declares invalid dimensions " + w + "x" + h);
                }
                long pixels = (long) w * h;
                if (pixels > options.maxPixels()) {
                    throw new ImageReadException(file, String.format(Locale.ROOT,
                            "%s is %dx%d = %.1f megapixels, over the limit of %.1f megapixels (%d pixels); "
                                    + "if the image is trusted, raise the limit with "
                                    + "ImageReadOptions.builder().maxPixels(%d) or -D%s=%d",
                            name, w, h, pixels / 1e6, options.maxPixels() / 1e6, options.maxPixels(), pixels,
                            ImageReadOptions.MAX_PIXELS_PROPERTY, pixels));
                }
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener(new IIOReadWarningListener() {
                    @Override
                    public void warningOccurred(ImageReader source, String warning) {
                        warnings.add(warning);
                    }
                });
                BufferedImage decoded = reader.read(0);
                for (String warning : warnings) {
                    // The JPEG decoder fills missing data with gray and only warns; a half image is no image.
                    if (warning.toLowerCase(Locale.ROOT).contains("premature end")) {
                        throw new ImageReadException(file, name + " is a truncated " + format + " file ("
                                + warning + ")");
                    }
                }
                try {
                    return toRgb(decoded, options);
                } catch (IllegalArgumentException e) {
                    throw new ImageReadException(file, name + ": " + e.getMessage(), e);
                }
            } catch (ImageReadException e) {
                throw e;
            } catch (IIOException e) {
                String msg = String.valueOf(e.getMessage());
                if (msg.contains("Unsupported Image Type") || msg.contains("Unsupported JPEG process")) {
                    throw new ImageReadException(file, name + " uses an unsupported " + format + " encoding ("
                            + msg + "); convert it to 8-bit RGB, e.g. `magick in -colorspace sRGB out.png`", e);
                }
                throw new ImageReadException(file, name + " is a corrupt or truncated " + format + " file: "
                        + describe(e), e);
            } catch (EOFException e) {
                throw new ImageReadException(file, name + " is a truncated " + format + " file", e);
            } catch (IOException | RuntimeException e) {
                throw new ImageReadException(file, name + " is a corrupt or truncated " + format + " file: "
                        + describe(e), e);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            if (e instanceof ImageReadException ire) {
                throw ire;
            }
            throw new ImageReadException(file, "cannot read " + name + ": " + e, e);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(" <- ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
        }
        return sb.toString();
    }

    private static String hexPrefix(byte[] bytes) {
        StringBuilder sb = new StringBuilder("0x");
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            sb.append(String.format("%02x", bytes[i] & 0xFF));
        }
        return sb.toString();
    }

    /**
     * Refuses 4-component (CMYK / YCCK) JPEGs before ImageIO fails on them with an obscure message.
     * Walks the JPEG marker segments up to the first SOF marker, noting an Adobe APP14 transform.
     */
    private static void checkJpegEncoding(byte[] b, String name, Path file) throws ImageReadException {
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            return;
        }
        int adobeTransform = -1;
        int pos = 2;
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xFF) != 0xFF) {
                return; // not at a marker: leave the diagnosis to the decoder
            }
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD9)) {
                pos += 2;
                continue;
            }
            int len = ((b[pos + 2] & 0xFF) << 8) | (b[pos + 3] & 0xFF);
            int body = pos + 4;
            if (marker == 0xEE && len >= 12 && body + 12 <= b.length && b[body] == 'A' && b[body + 1] == 'd'
                    && b[body + 2] == 'o' && b[body + 3] == 'b' && b[body + 4] == 'e') {
                adobeTransform = b[body + 11] & 0xFF;
            }
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                if (body + 5 < b.length) {
                    int components = b[body + 5] & 0xFF;
                    if (components == 4) {
                        String kind = adobeTransform == 2 ? "CMYK (YCCK) JPEG" : "CMYK JPEG";
                        throw new ImageReadException(file, name + " is a " + kind
                                + " (4 colour components): CMYK JPEG is not supported; convert to RGB, e.g. "
                                + "`magick in.jpg -colorspace sRGB out.jpg` (ImageMagick) or save as RGB in an "
                                + "image editor");
                    }
                }
                return;
            }
            pos += 2 + len;
        }
    }

    // ---------------------------------------------------------------------------------------- tensors

    /**
     * Converts an image to a float tensor [1, 3, H, W] in [-1, 1]. {@code TYPE_INT_RGB} and
     * {@code TYPE_3BYTE_BGR} are read straight from their data buffers; other types are first converted
     * with {@link #read(BufferedImage)} (alpha composited on white).
     */
    public static INDArray toTensor(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        INDArray t = Nd4j.createUninitialized(DataType.FLOAT, new long[] {1, 3, image.getHeight(), image.getWidth()}, 'c');
        fill(image, floats(t), 0);
        return t;
    }

    /** The off-heap memory of a fresh c-order float array: written row by row, no float[] of the whole image. */
    private static FloatBuffer floats(INDArray fresh) {
        FloatBuffer fb = fresh.data().asNioFloat();
        if (fb.order() != ByteOrder.nativeOrder() || fb.capacity() < fresh.length()) {
            throw new IllegalStateException("unexpected ND4J buffer layout: order " + fb.order() + ", capacity "
                    + fb.capacity());
        }
        return fb;
    }

    /**
     * Stacks images of equal size into one float tensor [B, 3, H, W] in [-1, 1].
     *
     * @throws IllegalArgumentException if the list is empty or the sizes differ
     */
    public static INDArray batch(List<BufferedImage> images) {
        Objects.requireNonNull(images, "images");
        if (images.isEmpty()) {
            throw new IllegalArgumentException("images must not be empty");
        }
        int w = images.get(0).getWidth();
        int h = images.get(0).getHeight();
        int plane = 3 * w * h;
        INDArray t = Nd4j.createUninitialized(DataType.FLOAT, new long[] {images.size(), 3, h, w}, 'c');
        FloatBuffer data = floats(t);
        for (int i = 0; i < images.size(); i++) {
            BufferedImage img = images.get(i);
            if (img.getWidth() != w || img.getHeight() != h) {
                throw new IllegalArgumentException("all images of a batch must have the same size: image 0 is "
                        + w + "x" + h + ", image " + i + " is " + img.getWidth() + "x" + img.getHeight()
                        + "; resize or crop them first (ImageOps)");
            }
            fill(img, data, i * plane);
        }
        return t;
    }

    private static void fill(BufferedImage image, FloatBuffer out, int offset) {
        int w = image.getWidth();
        int h = image.getHeight();
        int hw = w * h;
        float[] r = new float[w];
        float[] g = new float[w];
        float[] b = new float[w];
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR
                && image.getRaster().getSampleModel() instanceof ComponentSampleModel csm) {
            Raster ras = image.getRaster();
            byte[] data = ((DataBufferByte) ras.getDataBuffer()).getData();
            int base = ras.getDataBuffer().getOffset()
                    - ras.getSampleModelTranslateY() * csm.getScanlineStride()
                    - ras.getSampleModelTranslateX() * csm.getPixelStride();
            int[] bo = csm.getBandOffsets();
            int ps = csm.getPixelStride();
            int ss = csm.getScanlineStride();
            for (int y = 0; y < h; y++) {
                int src = base + y * ss;
                for (int x = 0; x < w; x++, src += ps) {
                    r[x] = TO_UNIT[data[src + bo[0]] & 0xFF];
                    g[x] = TO_UNIT[data[src + bo[1]] & 0xFF];
                    b[x] = TO_UNIT[data[src + bo[2]] & 0xFF];
                }
                int o = offset + y * w;
                out.put(o, r).put(o + hw, g).put(o + 2 * hw, b);
            }
            return;
        }
        BufferedImage rgb = image.getType() == BufferedImage.TYPE_INT_RGB ? image : read(image);
        Raster ras = rgb.getRaster();
        SinglePixelPackedSampleModel sm = (SinglePixelPackedSampleModel) ras.getSampleModel();
        int[] data = ((DataBufferInt) ras.getDataBuffer()).getData();
        int base = ras.getDataBuffer().getOffset()
                + sm.getOffset(-ras.getSampleModelTranslateX(), -ras.getSampleModelTranslateY());
        int ss = sm.getScanlineStride();
        for (int y = 0; y < h; y++) {
            int src = base + y * ss;
            for (int x = 0; x < w; x++) {
                int p = data[src + x];
                r[x] = TO_UNIT[(p >> 16) & 0xFF];
                g[x] = TO_UNIT[(p >> 8) & 0xFF];
                b[x] = TO_UNIT[p & 0xFF];
            }
            int o = offset + y * w;
            out.put(o, r).put(o + hw, g).put(o + 2 * hw, b);
        }
    }

    private static void packBgr(BufferedImage image, int[] dst) {
        Raster r = image.getRaster();
        ComponentSampleModel csm = (ComponentSampleModel) r.getSampleModel();
        byte[] data = ((DataBufferByte) r.getDataBuffer()).getData();
        int base = r.getDataBuffer().getOffset()
                - r.getSampleModelTranslateY() * csm.getScanlineStride()
                - r.getSampleModelTranslateX() * csm.getPixelStride();
        int[] bo = csm.getBandOffsets();
        int ps = csm.getPixelStride();
        int ss = csm.getScanlineStride();
        int w = image.getWidth();
        for (int y = 0; y < image.getHeight(); y++) {
            int src = base + y * ss;
            for (int x = 0; x < w; x++, src += ps) {
                dst[y * w + x] = ((data[src + bo[0]] & 0xFF) << 16) | ((data[src + bo[1]] & 0xFF) << 8)
                        | (data[src + bo[2]] & 0xFF);
            }
        }
    }

    /**
     * Converts a tensor [3, H, W] or [1, 3, H, W] (or 1 channel: gray) in [-1, 1] to a
     * {@code TYPE_INT_RGB} image. Values outside [-1, 1] are clamped; each value is rounded to the
     * nearest of the 256 levels.
     *
     * @throws IllegalArgumentException for other shapes, or if the tensor holds NaN (the message gives
     *                                  its position)
     */
    public static BufferedImage toImage(INDArray tensor) {
        Objects.requireNonNull(tensor, "tensor");
        long[] s = tensor.shape();
        if (s.length == 4 && s[0] != 1) {
            throw new IllegalArgumentException("toImage takes one image, found a batch of shape "
                    + java.util.Arrays.toString(s) + "; use toImages for batches");
        }
        if (!(s.length == 3 || s.length == 4)) {
            throw new IllegalArgumentException("tensor must be [C, H, W] or [1, C, H, W], found shape "
                    + java.util.Arrays.toString(s));
        }
        int c = (int) s[s.length - 3];
        int h = (int) s[s.length - 2];
        int w = (int) s[s.length - 1];
        if (c != 3 && c != 1) {
            throw new IllegalArgumentException("tensor must have 3 (RGB) or 1 (gray) channels, found " + c
                    + " in shape " + java.util.Arrays.toString(s));
        }
        INDArray src = contiguousFloat(tensor);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        toPixels(src.data().asNioFloat(), 0, c, h, w, dst);
        java.lang.ref.Reference.reachabilityFence(src); // keeps the off-heap memory alive while it is read
        return out;
    }

    /** Converts a batch tensor [B, C, H, W] (C = 3 or 1) in [-1, 1] to one image per batch entry. */
    public static List<BufferedImage> toImages(INDArray batch) {
        Objects.requireNonNull(batch, "batch");
        long[] s = batch.shape();
        if (s.length != 4 || (s[1] != 3 && s[1] != 1)) {
            throw new IllegalArgumentException("batch must be [B, 3, H, W] or [B, 1, H, W], found shape "
                    + java.util.Arrays.toString(s));
        }
        int c = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        INDArray src = contiguousFloat(batch);
        FloatBuffer f = src.data().asNioFloat();
        List<BufferedImage> images = new ArrayList<>((int) s[0]);
        for (int i = 0; i < s[0]; i++) {
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            toPixels(f, i * c * h * w, c, h, w, ((DataBufferInt) out.getRaster().getDataBuffer()).getData());
            images.add(out);
        }
        java.lang.ref.Reference.reachabilityFence(src);
        return images;
    }

    static float[] contiguousFloats(INDArray t) {
        return contiguousFloat(t).data().asFloat();
    }

    /** {@code t} itself if it is a dense c-order float array owning its buffer, else a dense float copy. */
    static INDArray contiguousFloat(INDArray t) {
        INDArray c = t.dataType() == DataType.FLOAT ? t : t.castTo(DataType.FLOAT);
        if (c.isView() || c.ordering() != 'c' || c.data().length() != c.length() || c.offset() != 0) {
            c = c.dup('c');
        }
        return c;
    }

    private static void toPixels(FloatBuffer f, int offset, int c, int h, int w, int[] dst) {
        int hw = h * w;
        int g = c == 3 ? hw : 0;
        int b = c == 3 ? 2 * hw : 0;
        float[] rr = new float[w];
        float[] gg = new float[w];
        float[] bb = new float[w];
        for (int y = 0; y < h; y++) {
            int o = offset + y * w;
            f.get(o, rr).get(o + g, gg).get(o + b, bb);
            for (int x = 0; x < w; x++) {
                float vr = rr[x];
                float vg = gg[x];
                float vb = bb[x];
                if (Float.isNaN(vr) || Float.isNaN(vg) || Float.isNaN(vb)) {
                    int ch = Float.isNaN(vr) ? 0 : Float.isNaN(vg) ? 1 : 2;
                    throw new IllegalArgumentException("tensor holds NaN at channel " + ch + ", y " + y + ", x " + x
                            + "; an image needs finite values (check the model output for divergence)");
                }
                dst[y * w + x] = (level(vr) << 16) | (level(vg) << 8) | level(vb);
            }
        }
    }

    private static int level(float v) {
        int q = (int) ((v + 1f) * 127.5f + 0.5f); // int cast saturates for +-Infinity
        return q < 0 ? 0 : (q > 255 ? 255 : q);
    }

    // ---------------------------------------------------------------------------------------- writing

    /** Writes a PNG atomically (temp file + rename). */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(file, "file");
        AtomicFiles.write(file, out -> encodePng(image, out));
    }

    /** Encodes an image as PNG into {@code out} (not closed), without ImageIO's disk cache. */
    static void encodePng(BufferedImage image, java.io.OutputStream out) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("no PNG writer available in this JVM");
        }
        ImageWriter writer = writers.next();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(image);
        } finally {
            writer.dispose();
        }
    }

    /** Writes a tensor [3, H, W] or [1, 3, H, W] in [-1, 1] as a PNG atomically; see {@link #toImage}. */
    public static void writePng(INDArray tensor, Path file) throws IOException {
        writePng(toImage(tensor), file);
    }

    /**
     * Writes a baseline RGB JPEG atomically. Alpha is composited on white first.
     *
     * @param quality 0 (smallest) to 1 (best); 0.9 is a good default
     */
    public static void writeJpeg(BufferedImage image, Path file, float quality) throws IOException {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(file, "file");
        if (!(quality >= 0f && quality <= 1f)) {
            throw new IllegalArgumentException("quality must be in [0, 1], found " + quality);
        }
        BufferedImage rgb = read(image);
        AtomicFiles.write(file, out -> {
            Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
            if (!writers.hasNext()) {
                throw new IOException("no JPEG writer available in this JVM");
            }
            ImageWriter writer = writers.next();
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(ios);
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
                writer.write(null, new IIOImage(rgb, null, null), param);
            } finally {
                writer.dispose();
            }
        });
    }

    /** Writes a tensor [3, H, W] or [1, 3, H, W] in [-1, 1] as a JPEG atomically. */
    public static void writeJpeg(INDArray tensor, Path file, float quality) throws IOException {
        writeJpeg(toImage(tensor), file, quality);
    }

    /**
     * Writes PNG or JPEG (quality 0.92) by the file's extension ({@code .png}, {@code .jpg}, {@code .jpeg}).
     *
     * @throws IllegalArgumentException for other extensions
     */
    public static void write(BufferedImage image, Path file) throws IOException {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".png")) {
            writePng(image, file);
        } else if (n.endsWith(".jpg") || n.endsWith(".jpeg")) {
            writeJpeg(image, file, 0.92f);
        } else {
            throw new IllegalArgumentException("cannot tell the image format of " + file
                    + ": use a .png, .jpg or .jpeg file name");
        }
    }

    /** Copies an image into a new {@code TYPE_INT_RGB} image (never shares pixels with the input). */
    static BufferedImage copyRgb(BufferedImage image) {
        BufferedImage rgb = read(image);
        if (rgb != image) {
            return rgb;
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        WritableRaster r = out.getRaster();
        r.setDataElements(0, 0, image.getRaster());
        return out;
    }

    /** Pixels of a {@code TYPE_INT_RGB} image as 0xRRGGBB, row-major, copied. */
    static int[] pixels(BufferedImage rgb) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[] out = new int[w * h];
        rgb.getRaster().getDataElements(0, 0, w, h, out);
        return out;
    }

    /** A new {@code TYPE_INT_RGB} image holding the given 0xRRGGBB pixels. */
    static BufferedImage fromPixels(int[] px, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.getRaster().setDataElements(0, 0, w, h, px);
        return out;
    }
}
