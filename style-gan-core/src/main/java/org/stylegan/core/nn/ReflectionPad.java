package org.stylegan.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Reflection padding of NHWC arrays in place, shared by {@link ReflectionPadding2D} and the layers that write their
 * output straight into a padded buffer (instance norm, upsampling), which saves the padding layer's full copy.
 * Padding is [top, bottom, left, right]; the border mirrors without repeating the edge, like PyTorch.
 */
final class ReflectionPad {
    private ReflectionPad() {
    }

    /** Whether any side is padded. */
    static boolean any(int[] p) {
        return p[0] > 0 || p[1] > 0 || p[2] > 0 || p[3] > 0;
    }

    /** The [N, h, w, C] interior view of a padded NHWC array (the array itself when nothing is padded). */
    static INDArray interior(INDArray padded, int[] p) {
        if (!any(p)) {
            return padded;
        }
        long h = padded.size(1) - p[0] - p[1];
        long w = padded.size(2) - p[2] - p[3];
        return padded.get(all(), NDArrayIndex.interval(p[0], p[0] + h), NDArrayIndex.interval(p[2], p[2] + w), all());
    }

    /** Fills the border of a padded NHWC array from its interior: rows first (centre columns), then whole columns. */
    static void fillBorders(INDArray out, int[] p) {
        long h = out.size(1) - p[0] - p[1];
        long w = out.size(2) - p[2] - p[3];
        INDArrayIndex cols = NDArrayIndex.interval(p[2], p[2] + w);
        for (int i = 1; i <= p[0]; i++) {
            out.get(all(), NDArrayIndex.point(p[0] - i), cols, all())
                    .assign(out.get(all(), NDArrayIndex.point(p[0] + i), cols, all()));
        }
        for (int i = 1; i <= p[1]; i++) {
            out.get(all(), NDArrayIndex.point(p[0] + h - 1 + i), cols, all())
                    .assign(out.get(all(), NDArrayIndex.point(p[0] + h - 1 - i), cols, all()));
        }
        for (int j = 1; j <= p[2]; j++) {
            out.get(all(), all(), NDArrayIndex.point(p[2] - j), all())
                    .assign(out.get(all(), all(), NDArrayIndex.point(p[2] + j), all()));
        }
        for (int j = 1; j <= p[3]; j++) {
            out.get(all(), all(), NDArrayIndex.point(p[2] + w - 1 + j), all())
                    .assign(out.get(all(), all(), NDArrayIndex.point(p[2] + w - 1 - j), all()));
        }
    }

    /**
     * The gradient of reflection padding: {@code dx} ([N, h, w, C]) = centre of {@code eps}, plus the border columns
     * of the centre rows folded onto their mirror columns, plus the border rows (their own border columns folded in
     * first, which accounts for the corners) folded onto their mirror rows. Temporaries: the border rows only.
     */
    static void fold(INDArray eps, int[] p, INDArray dx) {
        long h = dx.size(1);
        long w = dx.size(2);
        dx.assign(eps.get(all(), NDArrayIndex.interval(p[0], p[0] + h), NDArrayIndex.interval(p[2], p[2] + w),
                all()));
        foldColumns(dx, eps.get(all(), NDArrayIndex.interval(p[0], p[0] + h), all(), all()), p, w);
        if (p[0] > 0) {
            INDArray top = foldedRows(eps, 0, p[0], p, w);
            for (int i = 1; i <= p[0]; i++) {
                dx.get(all(), NDArrayIndex.point(i)).addi(top.get(all(), NDArrayIndex.point(p[0] - i)));
            }
        }
        if (p[1] > 0) {
            INDArray bottom = foldedRows(eps, p[0] + h, p[1], p, w);
            for (int i = 1; i <= p[1]; i++) {
                dx.get(all(), NDArrayIndex.point(h - 1 - i)).addi(bottom.get(all(), NDArrayIndex.point(i - 1)));
            }
        }
    }

    /** Rows [from, from + count) of epsilon, centre columns, with their border columns folded in: a new array. */
    private static INDArray foldedRows(INDArray eps, long from, long count, int[] p, long w) {
        INDArray rows = eps.get(all(), NDArrayIndex.interval(from, from + count), all(), all());
        INDArray r = rows.get(all(), all(), NDArrayIndex.interval(p[2], p[2] + w), all()).dup('c');
        foldColumns(r, rows, p, w);
        return r;
    }

    /** Adds the border columns of {@code padded} (full padded width) onto their mirror columns of {@code centre}. */
    private static void foldColumns(INDArray centre, INDArray padded, int[] p, long w) {
        for (int j = 1; j <= p[2]; j++) {
            centre.get(all(), all(), NDArrayIndex.point(j), all())
                    .addi(padded.get(all(), all(), NDArrayIndex.point(p[2] - j), all()));
        }
        for (int j = 1; j <= p[3]; j++) {
            centre.get(all(), all(), NDArrayIndex.point(w - 1 - j), all())
                    .addi(padded.get(all(), all(), NDArrayIndex.point(p[2] + w - 1 + j), all()));
        }
    }

    private static INDArrayIndex all() {
        return NDArrayIndex.all();
    }
}
