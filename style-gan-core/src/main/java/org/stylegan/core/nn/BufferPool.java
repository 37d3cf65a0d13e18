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
 *
 * <p><b>Reuse within a backward pass.</b> A backward pass opened with {@link #openBackward} also hands out again,
 * before its end, the gradient and working buffers ({@code ACTIVATION_GRAD}, {@code BP_WORKING_MEM}) that earlier
 * layers of the same pass took and that no layer still to run can read. The owner says which those are through a
 * {@link Liveness}; layers announce themselves with {@link #enterBackward} when their backward step starts. Without
 * it a pass keeps every layer's input gradient to its end: the reference generator's backward pass at batch 4 took
 * 732 MB on top of its 662 MB of activations.
 */
public final class BufferPool {
    private static final ThreadLocal<BufferPool> CURRENT = new ThreadLocal<>();

    private final Map<String, ArrayDeque<INDArray>> free = new HashMap<>();
    private final Map<INDArray, String> inUse = new IdentityHashMap<>();
    // Gradient and working buffers handed out during backward passes since the last recycle(), by key, with the
    // layer step that last took each: candidates for reuse once their step is over and nothing pending reads them.
    private final Map<String, List<Handout>> backwardHandouts = new HashMap<>();
    private Liveness liveness; // non-null while a backward pass opened with openBackward runs
    private int step;          // layer steps announced through enterBackward
    private long allocations;
    private long reuses;

    /**
     * What a pool asks its owner during a backward pass ({@link #openBackward}). Answers must err on "live":
     * a buffer wrongly thought dead is overwritten while still in use.
     */
    public interface Liveness {
        /** A layer or vertex (the object passed to {@link #enterBackward}) starts its backward step. */
        void enter(Object layerOrVertex);

        /** Whether anything that has not finished its backward step yet may still read {@code buffer}. */
        boolean isLive(INDArray buffer);
    }

    private static final class Handout {
        final INDArray array;
        int step;

        Handout(INDArray array, int step) {
            this.array = array;
            this.step = step;
        }
    }

    /** The arrays this library's layers create: output activations and input gradients. */
    public static INDArray create(LayerWorkspaceMgr mgr, ArrayType type, DataType dataType, long... shape) {
        BufferPool pool = CURRENT.get();
        if (pool == null || !mgr.isScopedOut(type)) {
            return mgr.createUninitialized(type, dataType, shape, 'c');
        }
        boolean reusable = type == ArrayType.ACTIVATION_GRAD || type == ArrayType.BP_WORKING_MEM;
        return pool.take(dataType, shape, reusable && pool.liveness != null);
    }

    /**
     * Called by a layer (or vertex) of this library as its backward step starts: buffers that earlier steps took
     * may be handed out again from now on (see {@link #openBackward}). No-op outside such a pass.
     */
    public static void enterBackward(Object layerOrVertex) {
        BufferPool pool = CURRENT.get();
        if (pool != null && pool.liveness != null) {
            pool.step++;
            pool.liveness.enter(layerOrVertex);
        }
    }

    /**
     * Opens the pool for a backward pass in which gradient and working buffers are reused as soon as
     * {@code liveness} says nothing pending reads them. Closing ends the reuse and restores the previous pool.
     */
    public Scope openBackward(Liveness l) {
        Scope outer = open();
        liveness = java.util.Objects.requireNonNull(l, "liveness");
        return () -> {
            liveness = null;
            outer.close();
        };
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

    private INDArray take(DataType dataType, long[] shape, boolean reusable) {
        String key = dataType + Arrays.toString(shape);
        ArrayDeque<INDArray> q = free.get(key);
        INDArray a = q == null ? null : q.poll();
        if (a == null && reusable) {
            a = reclaim(key);
            if (a != null) {
                return a; // still in inUse, its handout moved to this step
            }
        }
        if (a == null) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                a = Nd4j.createUninitialized(dataType, shape, 'c');
            }
            allocations++;
        }
        inUse.put(a, key);
        if (reusable) {
            backwardHandouts.computeIfAbsent(key, k -> new ArrayList<>()).add(new Handout(a, step));
        }
        return a;
    }

    /** A buffer of {@code key} taken by an earlier step of this backward pass that nothing pending reads, or null. */
    private INDArray reclaim(String key) {
        List<Handout> handouts = backwardHandouts.get(key);
        if (handouts == null) {
            return null;
        }
        for (Handout h : handouts) {
            if (h.step < step && !liveness.isLive(h.array)) {
                h.step = step;
                reuses++;
                return h.array;
            }
        }
        return null;
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
        if (inUse.remove(a) != null) {
            backwardHandouts.values().forEach(l -> l.removeIf(h -> h.array == a));
        }
    }

    /** Returns every buffer handed out since the last call to the free list. Callers must no longer use them. */
    public void recycle() {
        for (Map.Entry<INDArray, String> e : inUse.entrySet()) {
            free.computeIfAbsent(e.getValue(), k -> new ArrayDeque<>()).add(e.getKey());
        }
        inUse.clear();
        backwardHandouts.clear();
    }

    /** Frees the native memory of every buffer the pool holds (free or handed out); the pool stays usable. */
    public void clear() {
        List<INDArray> all = new ArrayList<>(inUse.keySet());
        free.values().forEach(all::addAll);
        inUse.clear();
        free.clear();
        backwardHandouts.clear();
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

    /** Number of times a buffer was handed out again within a backward pass (see {@link #openBackward}). */
    public long reuses() {
        return reuses;
    }

    /** Bytes of native memory the pool holds, handed out or free. */
    public long bytes() {
        long sum = 0;
        for (INDArray a : inUse.keySet()) {
            sum += a.length() * a.dataType().width();
        }
        for (ArrayDeque<INDArray> q : free.values()) {
            for (INDArray a : q) {
                sum += a.length() * a.dataType().width();
            }
        }
        return sum;
    }

    @Override
    public String toString() {
        return "BufferPool(inUse=" + inUse.size() + ", free=" + free.values().stream().mapToInt(ArrayDeque::size).sum()
                + ", allocations=" + allocations + ", reuses=" + reuses + ")";
    }
}
