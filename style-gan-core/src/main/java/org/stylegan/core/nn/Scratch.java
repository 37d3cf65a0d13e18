package org.stylegan.core.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-thread scratch buffers for the layers' temporaries, grown on demand and reused across calls: a fresh
 * multi-megabyte allocation costs about as much as a pass over it (page faults), so reusing one is a speed matter.
 * Buffers live outside any DL4J workspace. Contents are undefined on return; callers must not keep a scratch view
 * beyond the method that took it, nor take two of the same slot at once.
 */
final class Scratch {
    private static final int SLOTS = 2;
    private static final ThreadLocal<INDArray[]> FLOATS = ThreadLocal.withInitial(() -> new INDArray[SLOTS]);
    private static final ThreadLocal<INDArray[]> DOUBLES = ThreadLocal.withInitial(() -> new INDArray[SLOTS]);
    private static final ThreadLocal<INDArray[]> ONES = ThreadLocal.withInitial(() -> new INDArray[2]);

    private Scratch() {
    }

    /** A c-order [rows, cols] scratch matrix of slot {@code slot} (0 or 1), uninitialised. */
    static INDArray matrix(int slot, DataType type, long rows, long cols) {
        INDArray[] bufs = type == DataType.DOUBLE ? DOUBLES.get() : FLOATS.get();
        long n = rows * cols;
        if (bufs[slot] == null || bufs[slot].length() < n || bufs[slot].dataType() != type) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                bufs[slot] = Nd4j.createUninitialized(type, Math.max(n, 1));
            }
        }
        return bufs[slot].get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).reshape('c', rows, cols);
    }

    /**
     * {@code a} itself when it owns a dense c-order buffer, else a c-order copy: oneDNN and the [H*W, C] matrix
     * views of the NHWC layers need dense arrays, and a copy of a view is cheaper than their strided paths.
     */
    static INDArray dense(INDArray a) {
        return a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
    }

    /** A [1, n] row of ones (read only). */
    static INDArray ones(DataType type, long n) {
        INDArray[] bufs = ONES.get();
        int slot = type == DataType.DOUBLE ? 1 : 0;
        if (bufs[slot] == null || bufs[slot].length() < n) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                bufs[slot] = Nd4j.ones(type == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT, n);
            }
        }
        return bufs[slot].get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).reshape(1, n);
    }
}
