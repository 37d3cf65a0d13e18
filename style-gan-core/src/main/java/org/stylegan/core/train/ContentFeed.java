package org.stylegan.core.train;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The trainer's side of its {@link ContentSource}: checks each batch's shape, casts it to the networks' data type
 * and keeps a copy of the run's first batch as the preview. Batches stay the source's (never closed here); the
 * preview is this feed's.
 */
final class ContentFeed {
    private final ContentSource source;
    private final int imageSize;
    private final DataType dataType;
    private INDArray preview;

    ContentFeed(ContentSource source, int imageSize, DataType dataType) {
        this.source = source;
        this.imageSize = imageSize;
        this.dataType = dataType;
    }

    /** Returns the next batch [B, 3, imageSize, imageSize] in the networks' data type. */
    INDArray next() {
        INDArray x = source.nextBatch();
        int s = imageSize;
        if (x == null || x.rank() != 4 || x.size(1) != 3 || x.size(2) != s || x.size(3) != s) {
            throw new IllegalArgumentException("content batch must be [B, 3, " + s + ", " + s + "] (imageSize " + s
                    + "), found " + (x == null ? "null" : Arrays.toString(x.shape())));
        }
        if (x.dataType() != dataType) {
            x = x.castTo(dataType);
        }
        if (preview == null) {
            preview = x.dup();
        }
        return x;
    }

    /** The run's first batch, or null before the first step. */
    INDArray preview() {
        return preview;
    }

    /** The run's first batch, read without consuming it when no step ran yet. */
    INDArray peekPreview() {
        if (preview == null) {
            long p = source.position();
            INDArray x = source.nextBatch();
            source.seek(p);
            preview = x.castTo(dataType).dup();
        }
        return preview;
    }

    /** Restores a checkpoint's position and preview batch (null: none yet). */
    void restore(long position, INDArray savedPreview) {
        source.seek(position);
        preview = savedPreview == null ? null : savedPreview.castTo(dataType);
    }

    /** Batches taken so far. */
    long position() {
        return source.position();
    }

    void close() {
        source.close();
    }
}
