package org.stylegan.core.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Halves NCHW images by 2x2 averaging, and maps a gradient at the half size back to the full size (the exact
 * adjoint: each pixel gets a quarter of its block's gradient). The discriminator pyramid judges images at 1, 1/2,
 * 1/4 ... of their size with these, so a coarse discriminator sees strokes and shapes a 70 px patch cannot hold.
 */
public final class ImagePyramid {
    private ImagePyramid() {
    }

    /**
     * Returns {@code x} [B, C, H, W] averaged over 2x2 blocks: [B, C, H/2, W/2], a new array.
     *
     * @throws IllegalArgumentException when x is not rank 4 or H or W is odd
     */
    public static INDArray down(INDArray x) {
        check(x);
        long b = x.size(0);
        long c = x.size(1);
        long h = x.size(2) / 2;
        long w = x.size(3) / 2;
        return x.dup('c').reshape('c', b, c, h, 2, w, 2).mean(3, 5).reshape('c', b, c, h, w);
    }

    /**
     * The adjoint of {@link #down}: given dL/d(down(x)) [B, C, H/2, W/2], returns dL/dx [B, C, H, W], a new array.
     */
    public static INDArray downBackward(INDArray gradient) {
        if (gradient.rank() != 4) {
            throw new IllegalArgumentException("gradient must be NCHW [batch, channels, height, width], found "
                    + Arrays.toString(gradient.shape()));
        }
        long b = gradient.size(0);
        long c = gradient.size(1);
        long h = gradient.size(2);
        long w = gradient.size(3);
        INDArray q = gradient.dup('c').muli(0.25).reshape('c', b, c, h, 1, w, 1);
        return q.broadcast(b, c, h, 2, w, 2).dup('c').reshape('c', b, c, 2 * h, 2 * w);
    }

    /**
     * Returns the pyramid of {@code x}: {@code levels} arrays, the first {@code x} itself (not a copy), each next
     * one {@link #down} of the previous.
     *
     * @throws IllegalArgumentException when levels is below 1 or a level's side would be odd before halving
     */
    public static List<INDArray> of(INDArray x, int levels) {
        if (levels < 1) {
            throw new IllegalArgumentException("levels must be >= 1, found " + levels);
        }
        List<INDArray> out = new ArrayList<>(levels);
        out.add(x);
        for (int i = 1; i < levels; i++) {
            out.add(down(out.get(i - 1)));
        }
        return out;
    }

    private static void check(INDArray x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("image must be NCHW [batch, channels, height, width], found "
                    + Arrays.toString(x.shape()));
        }
        if (x.size(2) % 2 != 0 || x.size(3) % 2 != 0) {
            throw new IllegalArgumentException("image " + x.size(2) + "x" + x.size(3)
                    + " cannot be halved: height and width must be even; crop or pad by one pixel");
        }
    }
}
