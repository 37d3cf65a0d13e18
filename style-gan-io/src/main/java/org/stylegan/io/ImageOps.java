package org.stylegan.io;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Geometric operations on images and NCHW tensors: resize, centre and random crop, horizontal flip,
 * and reflection padding to a multiple of N with the matching crop back.
 *
 * <p>Sizes are always given as <b>width, height</b>, for images and tensors alike. Tensors may be
 * [N, C, H, W] or [C, H, W]; results have the input's rank and data type. Inputs are never modified.
 * Image results are {@code TYPE_INT_RGB}.
 */
public final class ImageOps {
    private ImageOps() {
    }

    /** Resampling filters for {@link #resize}. */
    public enum Filter {
        /** Area averaging when shrinking, bicubic when enlarging (the default). */
        AUTO,
        /** Exact area averaging (each output pixel is the mean of the input area it covers). */
        AREA,
        /** Linear interpolation; widened by the scale factor when shrinking (no aliasing). */
        BILINEAR,
        /** Bicubic (a = -0.5); widened by the scale factor when shrinking, i.e. prefiltered. */
        BICUBIC
    }

    // ------------------------------------------------------------------------------------------ resize

    /** Resizes an image with {@link Filter#AUTO}. */
    public static BufferedImage resize(BufferedImage image, int width, int height) {
        return resize(image, width, height, Filter.AUTO);
    }

    /** Resizes an image; results are rounded and clamped to 0..255. */
    public static BufferedImage resize(BufferedImage image, int width, int height, Filter filter) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(filter, "filter");
        checkSize(width, height);
        int sw = image.getWidth();
        int sh = image.getHeight();
        if (sw == width && sh == height) {
            return Images.copyRgb(image);
        }
        int[] px = Images.pixels(Images.read(image));
        Weights wx = Weights.of(sw, width, filter);
        Weights wy = Weights.of(sh, height, filter);
        float[] plane = new float[sw * sh];
        float[] tmp = new float[sh * width];
        float[] res = new float[width * height];
        int[] out = new int[width * height];
        for (int c = 0; c < 3; c++) {
            int shift = 16 - 8 * c;
            for (int i = 0; i < plane.length; i++) {
                plane[i] = (px[i] >> shift) & 0xFF;
            }
            resample(plane, 0, sw, sh, wx, wy, tmp, res, 0);
            for (int i = 0; i < res.length; i++) {
                int v = Math.round(res[i]);
                out[i] |= (v < 0 ? 0 : Math.min(v, 255)) << shift;
            }
        }
        return Images.fromPixels(out, width, height);
    }

    /** Resizes an image so that its shorter side is {@code size}, keeping the aspect ratio ({@link Filter#AUTO}). */
    public static BufferedImage resizeShorterSide(BufferedImage image, int size) {
        Objects.requireNonNull(image, "image");
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, found " + size);
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int nw;
        int nh;
        if (w <= h) {
            nw = size;
            nh = (int) Math.max(size, Math.round((double) h * size / w));
        } else {
            nh = size;
            nw = (int) Math.max(size, Math.round((double) w * size / h));
        }
        return resize(image, nw, nh);
    }

    /** Resizes a tensor with {@link Filter#AUTO}. */
    public static INDArray resize(INDArray x, int width, int height) {
        return resize(x, width, height, Filter.AUTO);
    }

    /**
     * Resizes every plane of a tensor [N, C, H, W] or [C, H, W]. Computed in float32; bicubic may
     * overshoot [-1, 1] slightly near edges (not clamped here, {@link Images#toImage} clamps).
     */
    public static INDArray resize(INDArray x, int width, int height, Filter filter) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(filter, "filter");
        checkSize(width, height);
        long[] s = shape4(x);
        int sh = (int) s[2];
        int sw = (int) s[3];
        int planes = (int) (s[0] * s[1]);
        float[] src = Images.contiguousFloats(x);
        Weights wx = Weights.of(sw, width, filter);
        Weights wy = Weights.of(sh, height, filter);
        float[] tmp = new float[sh * width];
        float[] dst = new float[planes * width * height];
        float[] res = new float[width * height];
        for (int p = 0; p < planes; p++) {
            resample(src, p * sw * sh, sw, sh, wx, wy, tmp, res, 0);
            System.arraycopy(res, 0, dst, p * width * height, res.length);
        }
        long[] outShape = x.rank() == 4 ? new long[] {s[0], s[1], height, width} : new long[] {s[1], height, width};
        INDArray out = Nd4j.create(dst, outShape, 'c');
        return x.dataType() == DataType.FLOAT ? out : out.castTo(x.dataType());
    }

    private static void checkSize(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("target size must be at least 1x1, found " + width + "x" + height);
        }
    }

    private static void resample(float[] src, int off, int sw, int sh, Weights wx, Weights wy, float[] tmp,
                                 float[] dst, int doff) {
        int dw = wx.out;
        int dh = wy.out;
        for (int y = 0; y < sh; y++) {
            int row = off + y * sw;
            for (int x = 0; x < dw; x++) {
                int k0 = x * wx.stride;
                int start = wx.start[x];
                float acc = 0;
                for (int k = 0; k < wx.count[x]; k++) {
                    acc += wx.w[k0 + k] * src[row + start + k];
                }
                tmp[y * dw + x] = acc;
            }
        }
        for (int y = 0; y < dh; y++) {
            int k0 = y * wy.stride;
            int start = wy.start[y];
            int o = doff + y * dw;
            Arrays.fill(dst, o, o + dw, 0f);
            for (int k = 0; k < wy.count[y]; k++) {
                float wk = wy.w[k0 + k];
                int r = (start + k) * dw;
                for (int x = 0; x < dw; x++) {
                    dst[o + x] += wk * tmp[r + x];
                }
            }
        }
    }

    /** Separable resampling weights for one axis: output i = sum_k w[i][k] * input[start[i] + k]. */
    private static final class Weights {
        final int out;
        final int stride;
        final int[] start;
        final int[] count;
        final float[] w;

        private Weights(int out, int stride) {
            this.out = out;
            this.stride = stride;
            this.start = new int[out];
            this.count = new int[out];
            this.w = new float[out * stride];
        }

        static Weights of(int in, int out, Filter filter) {
            double scale = (double) in / out;
            Filter f = filter == Filter.AUTO ? (scale > 1 ? Filter.AREA : Filter.BICUBIC) : filter;
            if (in == out) {
                f = Filter.AREA; // exact identity
            }
            double fscale = Math.max(scale, 1.0);
            double support = switch (f) {
                case AREA -> 0.5 * fscale;
                case BILINEAR -> 1.0 * fscale;
                default -> 2.0 * fscale;
            };
            int stride = (int) Math.ceil(support) * 2 + 2;
            Weights ws = new Weights(out, stride);
            double[] tmp = new double[stride];
            for (int i = 0; i < out; i++) {
                double center = (i + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(center - support));
                int hi = Math.min(in, (int) Math.ceil(center + support));
                double sum = 0;
                int n = 0;
                for (int j = lo; j < hi && n < stride; j++, n++) {
                    double wt;
                    if (f == Filter.AREA) {
                        // overlap of input pixel [j, j+1) with the output pixel's footprint
                        double a0 = center - 0.5 * fscale;
                        double b0 = center + 0.5 * fscale;
                        wt = Math.max(0, Math.min(j + 1, b0) - Math.max(j, a0));
                    } else {
                        double t = (j + 0.5 - center) / fscale;
                        wt = f == Filter.BILINEAR ? Math.max(0, 1 - Math.abs(t)) : cubic(t);
                    }
                    tmp[n] = wt;
                    sum += wt;
                }
                ws.start[i] = lo;
                ws.count[i] = n;
                if (sum == 0) { // cannot happen for valid sizes; fall back to nearest
                    int nearest = Math.min(in - 1, (int) center);
                    ws.start[i] = nearest;
                    ws.count[i] = 1;
                    ws.w[i * stride] = 1f;
                    continue;
                }
                for (int k = 0; k < n; k++) {
                    ws.w[i * stride + k] = (float) (tmp[k] / sum);
                }
            }
            return ws;
        }

        private static double cubic(double t) {
            final double a = -0.5;
            double x = Math.abs(t);
            if (x < 1) {
                return ((a + 2) * x - (a + 3)) * x * x + 1;
            }
            if (x < 2) {
                return (((x - 5) * x + 8) * x - 4) * a;
            }
            return 0;
        }
    }

    // -------------------------------------------------------------------------------------- crop & flip

    /** Crops the centre {@code width x height} of an image. */
    public static BufferedImage centerCrop(BufferedImage image, int width, int height) {
        Objects.requireNonNull(image, "image");
        checkCrop(width, height, image.getWidth(), image.getHeight());
        return crop(image, (image.getWidth() - width) / 2, (image.getHeight() - height) / 2, width, height);
    }

    /** Crops a uniformly random {@code width x height} window of an image. */
    public static BufferedImage randomCrop(BufferedImage image, int width, int height, Random random) {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(random, "random");
        checkCrop(width, height, image.getWidth(), image.getHeight());
        int left = random.nextInt(image.getWidth() - width + 1);
        int top = random.nextInt(image.getHeight() - height + 1);
        return crop(image, left, top, width, height);
    }

    /** Copies the window at (left, top) of size width x height. */
    public static BufferedImage crop(BufferedImage image, int left, int top, int width, int height) {
        Objects.requireNonNull(image, "image");
        if (left < 0 || top < 0 || width < 1 || height < 1 || left + width > image.getWidth()
                || top + height > image.getHeight()) {
            throw new IllegalArgumentException("crop window " + width + "x" + height + " at (" + left + ", " + top
                    + ") does not fit in the image of " + image.getWidth() + "x" + image.getHeight());
        }
        return Images.copyRgb(Images.read(image).getSubimage(left, top, width, height));
    }

    /** Mirrors an image left to right. */
    public static BufferedImage flipHorizontal(BufferedImage image) {
        Objects.requireNonNull(image, "image");
        int w = image.getWidth();
        int h = image.getHeight();
        int[] px = Images.pixels(Images.read(image));
        for (int y = 0; y < h; y++) {
            for (int i = y * w, j = y * w + w - 1; i < j; i++, j--) {
                int t = px[i];
                px[i] = px[j];
                px[j] = t;
            }
        }
        return Images.fromPixels(px, w, h);
    }

    /** Crops the centre {@code width x height} of every image in a tensor. */
    public static INDArray centerCrop(INDArray x, int width, int height) {
        long[] s = shape4(x);
        checkCrop(width, height, (int) s[3], (int) s[2]);
        return crop(x, (int) (s[3] - width) / 2, (int) (s[2] - height) / 2, width, height);
    }

    /** Crops one uniformly random window, the same for every image of the batch. */
    public static INDArray randomCrop(INDArray x, int width, int height, Random random) {
        Objects.requireNonNull(random, "random");
        long[] s = shape4(x);
        checkCrop(width, height, (int) s[3], (int) s[2]);
        int left = random.nextInt((int) s[3] - width + 1);
        int top = random.nextInt((int) s[2] - height + 1);
        return crop(x, left, top, width, height);
    }

    /** Copies the window at (left, top) of size width x height from every plane. */
    public static INDArray crop(INDArray x, int left, int top, int width, int height) {
        long[] s = shape4(x);
        if (left < 0 || top < 0 || width < 1 || height < 1 || left + width > s[3] || top + height > s[2]) {
            throw new IllegalArgumentException("crop window " + width + "x" + height + " at (" + left + ", " + top
                    + ") does not fit in the tensor of " + s[3] + "x" + s[2] + " (width x height)");
        }
        return gather(x, range(top, height), range(left, width));
    }

    /** Mirrors every plane of a tensor left to right. */
    public static INDArray flipHorizontal(INDArray x) {
        long[] s = shape4(x);
        int w = (int) s[3];
        int[] cols = new int[w];
        for (int i = 0; i < w; i++) {
            cols[i] = w - 1 - i;
        }
        return gather(x, range(0, (int) s[2]), cols);
    }

    private static void checkCrop(int width, int height, int w, int h) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("crop size must be at least 1x1, found " + width + "x" + height);
        }
        if (width > w || height > h) {
            throw new IllegalArgumentException("crop " + width + "x" + height + " is larger than the input " + w + "x"
                    + h + "; resize first (e.g. resizeShorterSide)");
        }
    }

    // -------------------------------------------------------------------------------------------- padding

    /**
     * A tensor padded by {@link #padToMultiple}, with what is needed to crop a same-size result back.
     *
     * @param tensor the padded tensor
     * @param left   columns added on the left
     * @param top    rows added on top
     * @param width  the original width
     * @param height the original height
     */
    public record Padded(INDArray tensor, int left, int top, int width, int height) {
        /** Crops {@code processed} (same spatial size as {@link #tensor()}, any channel count) back to the original size. */
        public INDArray cropBack(INDArray processed) {
            long[] s = shape4(processed);
            long[] p = shape4(tensor);
            if (s[2] != p[2] || s[3] != p[3]) {
                throw new IllegalArgumentException("cropBack expects the padded size " + p[3] + "x" + p[2]
                        + " (width x height), found " + s[3] + "x" + s[2]);
            }
            return crop(processed, left, top, width, height);
        }
    }

    /**
     * Pads height and width up to the next multiple of {@code multiple} by reflection (mirror without
     * repeating the edge: ... c b | a b c ...), half before and half after. Generators with two
     * stride-2 stages need multiple = 4. Reflection repeats as needed for tiny inputs; a 1-pixel-wide
     * input is repeated.
     */
    public static Padded padToMultiple(INDArray x, int multiple) {
        if (multiple < 1) {
            throw new IllegalArgumentException("multiple must be >= 1, found " + multiple);
        }
        long[] s = shape4(x);
        int h = (int) s[2];
        int w = (int) s[3];
        int ph = (multiple - h % multiple) % multiple;
        int pw = (multiple - w % multiple) % multiple;
        int top = ph / 2;
        int left = pw / 2;
        if (ph == 0 && pw == 0) {
            return new Padded(x.dup(), 0, 0, w, h);
        }
        return new Padded(gather(x, reflectMap(h, top, h + ph), reflectMap(w, left, w + pw)), left, top, w, h);
    }

    private static int[] reflectMap(int size, int before, int total) {
        int[] map = new int[total];
        for (int i = 0; i < total; i++) {
            map[i] = reflect(i - before, size);
        }
        return map;
    }

    private static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    // ------------------------------------------------------------------------------------------- helpers

    private static int[] range(int from, int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = from + i;
        }
        return r;
    }

    static long[] shape4(INDArray x) {
        Objects.requireNonNull(x, "tensor");
        long[] s = x.shape();
        if (s.length == 4) {
            return s;
        }
        if (s.length == 3) {
            return new long[] {1, s[0], s[1], s[2]};
        }
        throw new IllegalArgumentException("tensor must be [N, C, H, W] or [C, H, W], found shape " + Arrays.toString(s));
    }

    /** out[n, c, i, j] = x[n, c, rows[i], cols[j]], in x's data type (float or double kept exactly). */
    private static INDArray gather(INDArray x, int[] rows, int[] cols) {
        long[] s = shape4(x);
        int planes = (int) (s[0] * s[1]);
        int h = (int) s[2];
        int w = (int) s[3];
        int oh = rows.length;
        int ow = cols.length;
        long[] outShape = x.rank() == 4 ? new long[] {s[0], s[1], oh, ow} : new long[] {s[1], oh, ow};
        if (x.dataType() == DataType.DOUBLE) {
            double[] src = x.dup('c').data().asDouble();
            double[] dst = new double[planes * oh * ow];
            for (int p = 0, o = 0; p < planes; p++) {
                for (int i = 0; i < oh; i++) {
                    int row = p * h * w + rows[i] * w;
                    for (int j = 0; j < ow; j++) {
                        dst[o++] = src[row + cols[j]];
                    }
                }
            }
            return Nd4j.create(dst, outShape, 'c');
        }
        float[] src = Images.contiguousFloats(x);
        float[] dst = new float[planes * oh * ow];
        for (int p = 0, o = 0; p < planes; p++) {
            for (int i = 0; i < oh; i++) {
                int row = p * h * w + rows[i] * w;
                for (int j = 0; j < ow; j++) {
                    dst[o++] = src[row + cols[j]];
                }
            }
        }
        INDArray out = Nd4j.create(dst, outShape, 'c');
        return x.dataType() == DataType.FLOAT ? out : out.castTo(x.dataType());
    }
}
