package org.stylegan.core.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reuses the activation and gradient buffers of workspace-free training passes from one pass to the next.
 *
 * <p>Why: training runs without DL4J workspaces (activations must outlive {@code forward} until the caller's loss
 * is back-propagated), so every layer output and input gradient would be a fresh native allocation. Measured with
 * ND4J 1.0.0-M2.1: a fresh 8 MB array costs ~0.7 ms before the first write and a 32 MB one ~13 ms (page faults,
 * zeroing), against ~0.1-3 ms for the work done on it; a generator training step allocates ~300 MB. A pool hands
 * the same buffers out again on every pass.
 *
 * <p>Use: the owner (a {@code TrainableGraph}) {@link #open() opens} the pool on the current thread around a pass;
 * this library's layers then take their output and gradient arrays from it through {@link #create} whenever
 * DL4J gives them no workspace. {@link #recycle()} marks every buffer handed out as free again, so it may only be
 * called when none of them is in use any more; {@link #forget(INDArray)} lets one array escape (e.g. a network
 * output handed to the caller), after which the pool never touches it again. Not thread-safe: one pool per
 * network, used by one thread at a time.
 */
public final class BufferPool {
    private static final ThreadLocal<BufferPool> CURRENT = new ThreadLocal<>();

    private final Map<String, ArrayDeque<INDArray>> free = new HashMap<>();
    private final Map<INDArray, String> inUse = new IdentityHashMap<>();
    private long allocations;

    /** The arrays this library's layers create: output activations and input gradients. */
    public static INDArray create(LayerWorkspaceMgr mgr, ArrayType type, DataType dataType, long... shape) {
        BufferPool pool = CURRENT.get();
        if (pool == null || !mgr.isScopedOut(type)) {
            return mgr.createUninitialized(type, dataType, shape, 'c');
        }
        return pool.take(dataType, shape);
    }

    /** Makes this pool the current thread's pool until the returned scope is closed. */
    public Scope open() {
        BufferPool previous = CURRENT.get();
        CURRENT.set(this);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        };
    }

    /** An open pool; closing restores the thread's previous pool (if any). */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    private INDArray take(DataType dataType, long[] shape) {
        String key = dataType + Arrays.toString(shape);
        ArrayDeque<INDArray> q = free.get(key);
        INDArray a = q == null ? null : q.poll();
        if (a == null) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                a = Nd4j.createUninitialized(dataType, shape, 'c');
            }
            allocations++;
        }
        inUse.put(a, key);
        return a;
    }

    /** Whether {@code a} is a buffer this pool has handed out and not yet got back. */
    public boolean owns(INDArray a) {
        return a != null && inUse.containsKey(a);
    }

    /** Whether {@code a} is one of this pool's buffers, handed out or free. */
    public boolean holds(INDArray a) {
        if (a == null) {
            return false;
        }
        if (inUse.containsKey(a)) {
            return true;
        }
        for (ArrayDeque<INDArray> q : free.values()) {
            for (INDArray b : q) {
                if (b == a) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Lets {@code a} escape: the pool stops tracking it and never hands it out again. No-op if not owned. */
    public void forget(INDArray a) {
        inUse.remove(a);
    }

    /** Returns every buffer handed out since the last call to the free list. Callers must no longer use them. */
    public void recycle() {
        for (Map.Entry<INDArray, String> e : inUse.entrySet()) {
            free.computeIfAbsent(e.getValue(), k -> new ArrayDeque<>()).add(e.getKey());
        }
        inUse.clear();
    }

    /** Frees the native memory of every buffer the pool holds (free or handed out); the pool stays usable. */
    public void clear() {
        List<INDArray> all = new ArrayList<>(inUse.keySet());
        free.values().forEach(all::addAll);
        inUse.clear();
        free.clear();
        for (INDArray a : all) {
            if (!a.wasClosed()) {
                a.close();
            }
        }
    }

    /** Number of native allocations made so far (a steady training loop stops allocating after its first pass). */
    public long allocations() {
        return allocations;
    }

    @Override
    public String toString() {
        return "BufferPool(inUse=" + inUse.size() + ", free=" + free.values().stream().mapToInt(ArrayDeque::size).sum()
                + ", allocations=" + allocations + ")";
    }
}
