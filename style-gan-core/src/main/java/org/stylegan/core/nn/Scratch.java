package org.stylegan.core.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

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

    /** Block matrices kept per thread: one per (type, n, m), at most this many (the least recently used goes). */
    static final int BLOCK_ONES_KEPT = 8;
    private static final ThreadLocal<java.util.LinkedHashMap<String, INDArray>> BLOCK_ONES =
            ThreadLocal.withInitial(() -> new java.util.LinkedHashMap<>(16, 0.75f, true));
    private static final ThreadLocal<INDArray[]> ROWS = ThreadLocal.withInitial(() -> new INDArray[2]);

    /**
     * An [n, n*m] block matrix (read only) whose row i is one on columns [i*m, (i+1)*m) and zero elsewhere: its
     * product with an [n*m, c] matrix sums each of the n consecutive [m, c] blocks over its rows.
     */
    static INDArray blockOnes(DataType type, long n, long m) {
        // Kept per shape: a network's instance norms differ in m, and a GAN step alternates batch sizes (8 in the
        // discriminator's step, 4 in the generator's), so one cached matrix was rebuilt on almost every call.
        DataType t = type == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
        java.util.LinkedHashMap<String, INDArray> kept = BLOCK_ONES.get();
        String key = t + ":" + n + "x" + m;
        INDArray e = kept.get(key);
        if (e == null) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                e = Nd4j.zeros(t, n, n * m);
                for (long i = 0; i < n; i++) {
                    e.get(NDArrayIndex.point(i), NDArrayIndex.interval(i * m, (i + 1) * m)).assign(1.0);
                }
            }
            kept.put(key, e);
            if (kept.size() > BLOCK_ONES_KEPT) {
                java.util.Iterator<INDArray> eldest = kept.values().iterator();
                INDArray old = eldest.next();
                eldest.remove();
                old.close(); // handed out only for the duration of one product, never kept by callers
            }
        }
        return e;
    }

    /** A [1, n] row that owns its buffer (not a view: BLAS products into views measured 2-3x slower), uninitialised. */
    static INDArray row(DataType type, long n) {
        INDArray[] bufs = ROWS.get();
        int slot = type == DataType.DOUBLE ? 1 : 0;
        if (bufs[slot] == null || bufs[slot].length() != n) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                bufs[slot] = Nd4j.createUninitialized(type == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT, 1, n);
            }
        }
        return bufs[slot];
    }
}
