package org.stylegan.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.stylegan.core.nn.BufferPool;
import org.stylegan.core.nn.LayoutPermute2DLayer;
import org.stylegan.core.nn.NhwcConvolution2DLayer;
import org.stylegan.core.nn.ReflectionPadding2DLayer;

/**
 * A DL4J {@link ComputationGraph} driven step by step: forward, back-propagation of an externally computed loss
 * gradient, and an optimizer step, each separately. The generator, discriminator and feature extractor each hold one.
 *
 * <p><b>Gradient convention.</b> {@link #backward(INDArray)} is plain chain rule: given dL/d(output) it returns
 * dL/d(input) and dL/d(params) of the same L. style-gan losses reduce by batch mean, so their gradients already
 * carry the 1/B factor and the parameter gradient is that of the batch-mean loss. {@link #applyGradient} applies
 * a gradient as is (it calls DL4J's updater with minibatch size 1, so the updater's own division by the minibatch
 * size, meant for DL4J's per-example epsilons, does not happen a second time).
 *
 * <p>The graph keeps the activations of the last training forward pass, so forward/backward pairs must not
 * interleave between threads. TrainableGraph is not thread-safe.
 */
public final class TrainableGraph {
    private final BackpropGraph graph;
    // Activation and gradient buffers of workspace-free passes, reused from pass to pass (see BufferPool).
    private final BufferPool buffers = new BufferPool();
    private final String[] inputNames;
    private final String[] outputNames;
    private boolean hasTrainingForward;
    // Whether backward passes hand gradient buffers out again once consumed (see PendingEpsilons); tests compare.
    boolean reuseBackwardBuffers = true;
    private int forwardGeneration;
    private int lastBatchSize;
    private final Consumer<INDArray[]> inputCheck;

    /**
     * Result of {@link #backward}: dL/d(input) and dL/d(params) (a detached copy, safe to keep). {@link #close()}
     * frees both now instead of at the next garbage collection.
     */
    public record Backward(INDArray inputGradient, Gradient paramGradient) implements AutoCloseable {
        @Override
        public void close() {
            if (inputGradient != null && !inputGradient.wasClosed()) {
                inputGradient.close();
            }
            GradientCopy.release(paramGradient);
        }
    }

    /**
     * Wraps a configuration and parameters (and optionally updater state) into a trainable graph. The
     * configuration is copied; {@link #forward} runs without DL4J workspaces (its activations must outlive the
     * call), {@link #output} with them.
     *
     * @param configuration graph configuration (not modified)
     * @param params        flat parameters to copy, or null to initialise from the configuration's seed
     * @param updaterState  updater state to copy, or null for a fresh updater
     */
    public TrainableGraph(ComputationGraphConfiguration configuration, INDArray params, INDArray updaterState) {
        this(configuration, params, updaterState, inputs -> { });
    }

    /**
     * As {@link #TrainableGraph(ComputationGraphConfiguration, INDArray, INDArray)}, with the owning network's
     * input rules: {@code inputCheck} runs on every pass's inputs (after the count and null checks) and throws
     * {@link IllegalArgumentException} with a message that says what to fix.
     */
    public TrainableGraph(ComputationGraphConfiguration configuration, INDArray params, INDArray updaterState,
                          Consumer<INDArray[]> inputCheck) {
        FastPath.ensureEnabled();
        this.inputCheck = Objects.requireNonNull(inputCheck, "inputCheck");
        ComputationGraphConfiguration conf = configuration.clone();
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        this.graph = new BackpropGraph(conf);
        if (params != null) {
            graph.init(params.dup().reshape(1, params.length()), false);
        } else {
            graph.init();
        }
        if (updaterState != null && updaterState.length() > 0) {
            INDArray view = graph.getUpdater(true).getStateViewArray();
            if (view == null || view.length() != updaterState.length()) {
                throw new IllegalArgumentException("updater state has " + updaterState.length()
                        + " values, the graph's updater needs " + (view == null ? 0 : view.length()));
            }
            view.assign(updaterState.reshape(view.shape()));
        }
        this.inputNames = conf.getNetworkInputs().toArray(new String[0]);
        this.outputNames = conf.getNetworkOutputs().toArray(new String[0]);
    }

    /**
     * Wraps an existing graph (for example one restored with {@code ModelSerializer}), copying its configuration,
     * parameters, updater state and iteration count. The given graph is not modified or shared.
     */
    public static TrainableGraph wrap(ComputationGraph source) {
        Objects.requireNonNull(source, "source graph");
        return new TrainableGraph(source.getConfiguration(), source.params(), updaterState(source))
                .withCounters(source.getConfiguration());
    }

    /** Returns the updater state of a graph, or null when it has none. */
    public static INDArray updaterState(ComputationGraph g) {
        if (g.getUpdater(false) == null) {
            return null;
        }
        INDArray s = g.getUpdater().getStateViewArray();
        return s == null ? null : s;
    }

    /** Copies iteration and epoch counters; returns this. */
    public TrainableGraph withCounters(ComputationGraphConfiguration from) {
        graph.getConfiguration().setIterationCount(from.getIterationCount());
        graph.getConfiguration().setEpochCount(from.getEpochCount());
        return this;
    }

    /**
     * Runs a forward pass and returns the (first) output. With {@code training} true the activations are kept
     * for {@link #backward}; otherwise use {@link #output} (same result for these networks, except batch norm).
     */
    public INDArray forward(INDArray x, boolean training) {
        return forwardAll(training, x)[0];
    }

    /** Runs a forward pass over all inputs and returns all outputs, in the configuration's output order. */
    public INDArray[] forwardAll(boolean training, INDArray... inputs) {
        checkInputs(inputs);
        // forward() keeps activations that must outlive the call (DL4J's feedForward also reads the inference
        // mode here), so no workspaces; output() switches them on.
        graph.getConfiguration().setInferenceWorkspaceMode(WorkspaceMode.NONE);
        INDArray[] in = castInputs(inputs);
        // A new pass replaces the previous one's activations: its pooled buffers can be handed out again.
        buffers.recycle();
        Map<String, INDArray> acts;
        try (BufferPool.Scope ignored = buffers.open()) {
            acts = graph.feedForward(in, training, false);
        }
        INDArray[] out = new INDArray[outputNames.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = acts.get(outputNames[i]);
            buffers.forget(out[i]); // handed to the caller: never reused
        }
        hasTrainingForward = training;
        forwardGeneration++;
        return out;
    }

    /**
     * Back-propagates dL/d(output) through the last training forward pass. Parameters and updater state are not
     * touched. See the class javadoc for the gradient convention.
     *
     * @throws IllegalStateException when no training forward pass preceded it
     */
    public Backward backward(INDArray dLdOutput) {
        return backwardAll(dLdOutput);
    }

    /** Back-propagates one gradient per output (in output order); returns the first input's gradient. */
    public Backward backwardAll(INDArray... outputGradients) {
        return backwardAll(true, outputGradients);
    }

    private Backward backwardAll(boolean withParams, INDArray... outputGradients) {
        if (!hasTrainingForward) {
            throw new IllegalStateException("backward() needs a preceding forward(x, true)");
        }
        if (outputGradients.length != outputNames.length) {
            throw new IllegalArgumentException("expected " + outputNames.length + " output gradients, found "
                    + outputGradients.length);
        }
        for (int i = 0; i < outputGradients.length; i++) {
            Objects.requireNonNull(outputGradients[i], "gradient for output " + outputNames[i]);
        }
        try (BufferPool.Scope ignored = reuseBackwardBuffers ? buffers.openBackward(new PendingEpsilons())
                : buffers.open()) {
            graph.backpropExternal(outputGradients);
        }
        INDArray eps = graph.getVertex(inputNames[0]).getEpsilon();
        if (eps == null) {
            throw new IllegalStateException("DL4J produced no input gradient for input '" + inputNames[0] + "'");
        }
        if (!withParams) {
            return new Backward(eps.dup(), null);
        }
        Gradient g = graph.getGradient();
        INDArray flat = graph.getGradientsViewArray();
        INDArray flatCopy = flat == null ? null : flat.dup();
        DefaultGradient copy = flatCopy == null ? new DefaultGradient() : new GradientCopy(flatCopy);
        for (Map.Entry<String, INDArray> e : g.gradientForVariable().entrySet()) {
            copy.setGradientFor(e.getKey(), sameView(e.getValue(), flat, flatCopy),
                    g.flatteningOrderForVariable(e.getKey()));
        }
        return new Backward(eps.dup(), copy);
    }

    /**
     * Back-propagates dL/d(output) (one gradient per output, in output order) to the first input only, for a network
     * whose parameters stay fixed this step (a discriminator during the generator's step, a feature extractor).
     * Cheaper than {@link #backward}: the convolutions skip their weight gradients. The graph's parameter
     * gradient view is left stale; {@link #backward} recomputes it. Needs a preceding {@code forward(x, true)}.
     */
    public INDArray inputGradient(INDArray... dLdOutputs) {
        List<NhwcConvolution2DLayer> convs = new ArrayList<>();
        for (org.deeplearning4j.nn.api.Layer l : graph.getLayers()) {
            if (l instanceof NhwcConvolution2DLayer c) {
                convs.add(c);
            }
        }
        convs.forEach(c -> c.setInputGradientOnly(true));
        try {
            return backwardAll(false, dLdOutputs).inputGradient();
        } finally {
            convs.forEach(c -> c.setInputGradientOnly(false));
        }
    }

    /**
     * Like {@link #backward} when the caller needs dL/d(params) only (a generator's step: nothing consumes the
     * gradient of the content image): the first convolutions after the input skip their input gradient where that
     * is cheaper (see {@link NhwcConvolution2DLayer#setParameterGradientOnly}). Returns a detached copy.
     */
    public Gradient parameterGradient(INDArray... dLdOutputs) {
        List<NhwcConvolution2DLayer> first = firstConvolutions();
        first.forEach(c -> c.setParameterGradientOnly(true));
        try {
            Backward b = backwardAll(true, dLdOutputs);
            b.inputGradient().close();
            return b.paramGradient();
        } finally {
            first.forEach(c -> c.setParameterGradientOnly(false));
        }
    }

    /** The convolutions fed by a network input through layout permutations and padding only. */
    private List<NhwcConvolution2DLayer> firstConvolutions() {
        List<NhwcConvolution2DLayer> out = new ArrayList<>();
        GraphVertex[] vertices = graph.getVertices();
        for (GraphVertex v : vertices) {
            if (!(v.hasLayer() && v.getLayer() instanceof NhwcConvolution2DLayer conv)) {
                continue;
            }
            GraphVertex u = v;
            while (u.getInputVertices() != null && u.getInputVertices().length == 1) {
                u = vertices[u.getInputVertices()[0].getVertexIndex()];
                if (u.isInputVertex()) {
                    out.add(conv);
                    break;
                }
                boolean passThrough = u.hasLayer() && (u.getLayer() instanceof LayoutPermute2DLayer
                        || u.getLayer() instanceof ReflectionPadding2DLayer);
                if (!passThrough) {
                    break;
                }
            }
        }
        return out;
    }

    /**
     * The view of {@code copy} that {@code view} is of {@code flat} (a per-variable gradient inside the flat gradient
     * array), so a copied gradient needs one copy, not two; a plain copy when {@code view} is not inside it.
     */
    private static INDArray sameView(INDArray view, INDArray flat, INDArray copy) {
        if (flat == null || root(view.data()) != root(flat.data())) {
            return view.dup();
        }
        long offset = view.offset() - flat.offset();
        if (offset < 0 || offset + view.length() > flat.length() || !denseC(view)) {
            return view.dup();
        }
        return copy.reshape(copy.length()).get(NDArrayIndex.interval(offset, offset + view.length()))
                .reshape('c', view.shape());
    }

    /** Whether {@code a} is laid out densely in c order (strides of size-1 dimensions do not matter). */
    private static boolean denseC(INDArray a) {
        long[] shape = a.shape();
        long[] stride = a.stride();
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    private static DataBuffer root(DataBuffer b) {
        while (b.originalDataBuffer() != null && b.originalDataBuffer() != b) {
            b = b.originalDataBuffer();
        }
        return b;
    }

    /**
     * Applies one optimizer step (the graph's own updater, e.g. Adam) with a gradient from {@link #backward}, and
     * bumps the iteration count. The gradient is applied as is (batch-mean convention, see the class javadoc);
     * it is consumed (overwritten with the update).
     *
     * @param batchSize number of examples behind the gradient, >= 1; recorded only, no division is applied
     */
    public void applyGradient(Gradient gradient, int batchSize) {
        Objects.requireNonNull(gradient, "gradient");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
        }
        INDArray flat = gradient.gradient();
        if (flat == null || flat.length() != graph.numParams()) {
            throw new IllegalArgumentException("gradient has " + (flat == null ? 0 : flat.length())
                    + " values, the graph has " + graph.numParams() + " parameters");
        }
        if (flat == graph.getGradientsViewArray()) {
            // The updater treats its own view as the "internal" case; give it a private copy instead.
            flat = flat.dup();
        }
        DefaultGradient external = new DefaultGradient(flat);
        for (Map.Entry<String, INDArray> e : gradient.gradientForVariable().entrySet()) {
            external.setGradientFor(e.getKey(), e.getValue());
        }
        ComputationGraphConfiguration conf = graph.getConfiguration();
        int iteration = conf.getIterationCount();
        graph.getUpdater().update(external, iteration, conf.getEpochCount(), 1, LayerWorkspaceMgr.noWorkspaces());
        graph.params().subi(flat.reshape(graph.params().shape()));
        conf.setIterationCount(iteration + 1);
        lastBatchSize = batchSize;
    }

    /**
     * Frees now, instead of at the next garbage collection, the native memory of the arrays that the last
     * {@link #forward}/{@link #backward} left inside the graph: the activations feeding each layer and the
     * back-propagated epsilons. Without workspaces DL4J allocates them afresh on every pass and only the Java GC
     * would free them, so a training loop otherwise holds gigabytes of dead activations. The buffers of this
     * library's layers are not freed but kept for the next pass ({@link #isPassBuffer}), which reuses them.
     *
     * <p>Call it only when nothing still uses those arrays: the graph's inputs (owned by the caller), the arrays
     * in {@code keep} and views are never closed, but an activation returned by {@link #forward} that also feeds
     * another layer is. Outputs of the graph and results of {@link #backward} (copies) are not touched. After it,
     * {@link #backward} needs a new training forward pass. Parameters, gradients and updater state stay intact.
     *
     * @param keep arrays to leave open even if the graph references them
     */
    public void releaseActivations(INDArray... keep) {
        java.util.Set<INDArray> skip = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        INDArray[] graphInputs = graph.getInputs();
        if (graphInputs != null) {
            skip.addAll(Arrays.asList(graphInputs));
        }
        skip.addAll(Arrays.asList(keep));
        for (INDArray a : keep) {
            buffers.forget(a); // kept by the caller: must not be handed out again
        }
        for (GraphVertex v : graph.getVertices()) {
            INDArray[] in = v.getInputs();
            if (in != null) {
                for (INDArray a : in) {
                    if (!buffers.owns(a)) {
                        closeOnce(a, skip);
                    }
                }
            }
            if (!buffers.owns(v.getEpsilon())) {
                closeOnce(v.getEpsilon(), skip);
            }
        }
        buffers.recycle();
        graph.clearLayersStates();
        graph.clear();
        hasTrainingForward = false;
        forwardGeneration++;
    }

    /** Closes {@code a} unless it is null, listed in {@code skip}, a view or already closed; records it. */
    public static void closeOnce(INDArray a, java.util.Set<INDArray> skip) {
        if (a != null && skip.add(a) && !a.isView() && !a.wasClosed()) {
            a.close();
        }
    }

    /**
     * Diagnostics: how many activation and gradient buffers this graph's training passes have allocated so far.
     * Buffers are reused from pass to pass, so a steady training loop stops allocating after its first pass.
     */
    public long bufferAllocations() {
        return buffers.allocations();
    }

    /**
     * Diagnostics: native bytes held by this graph's pass buffers (activations, gradients and working memory of its
     * training passes, in use or kept for the next pass). The reference generator at 256 px and batch 4 holds about
     * 1 GB; {@link #releaseActivations} does not shrink it (the buffers are kept for reuse).
     */
    public long bufferBytes() {
        return buffers.bytes();
    }

    /** Diagnostics: whether {@code a} is one of the reused pass buffers (kept for the next pass, not closed). */
    public boolean isPassBuffer(INDArray a) {
        return buffers.holds(a);
    }

    /** Returns the batch size given to the last {@link #applyGradient} call, 0 before the first. */
    public int lastBatchSize() {
        return lastBatchSize;
    }

    /** Runs inference and returns the (first) output; keeps no state for backward. */
    public INDArray output(INDArray x) {
        return outputAll(x)[0];
    }

    /** Runs inference and returns all outputs, in output order; keeps no state for backward. */
    public INDArray[] outputAll(INDArray... inputs) {
        checkInputs(inputs);
        hasTrainingForward = false;
        // Workspaces reuse activation memory instead of allocating afresh: ~22% faster generator inference.
        graph.getConfiguration().setInferenceWorkspaceMode(WorkspaceMode.ENABLED);
        return graph.output(false, castInputs(inputs));
    }

    private INDArray[] castInputs(INDArray... inputs) {
        org.nd4j.linalg.api.buffer.DataType dt = graph.getConfiguration().getDataType();
        INDArray[] out = inputs.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i].dataType() != dt) {
                out[i] = out[i].castTo(dt);
            }
        }
        return out;
    }

    /** Returns the network's data type (FLOAT unless built for gradient checks). */
    public org.nd4j.linalg.api.buffer.DataType dataType() {
        return graph.getConfiguration().getDataType();
    }

    /** Sets the optimizer's learning rate for all layers (Adam state is kept). */
    public void setLearningRate(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be > 0 and finite, found " + learningRate);
        }
        graph.setLearningRate(learningRate);
    }

    /** Validates network inputs before use: their count, then the owner's shape rules. */
    private void checkInputs(INDArray... inputs) {
        if (inputs.length != inputNames.length) {
            throw new IllegalArgumentException("expected " + inputNames.length + " inputs, found " + inputs.length);
        }
        for (INDArray x : inputs) {
            Objects.requireNonNull(x, "input");
        }
        inputCheck.accept(inputs);
    }

    /** The pool of this graph's pass buffers (for tests and measurements). */
    public BufferPool buffers() {
        return buffers;
    }

    /** Returns the wrapped graph (live: its parameters are the ones trained here). */
    public ComputationGraph graph() {
        return graph;
    }

    /** Returns the number of trainable parameters. */
    public long numParams() {
        return graph.numParams();
    }

    /** Returns the number of optimizer steps applied so far (including those of a restored graph). */
    public int iteration() {
        return graph.getConfiguration().getIterationCount();
    }

    /** Returns the output names, in order. */
    public List<String> outputNames() {
        return List.of(outputNames);
    }

    /** Returns how many forward passes ran; lets callers detect stale per-forward state. */
    public int forwardGeneration() {
        return forwardGeneration;
    }

    /** Returns the names of the graph's layer vertices, in topological order. */
    public List<String> layerNames() {
        List<String> names = new ArrayList<>();
        int[] order = graph.topologicalSortOrder();
        GraphVertex[] vertices = graph.getVertices();
        for (int i : order) {
            if (vertices[i].hasLayer()) {
                names.add(vertices[i].getVertexName());
            }
        }
        return names;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(params=" + numParams() + ", inputs=" + Arrays.toString(inputNames)
                + ", outputs=" + Arrays.toString(outputNames) + ")";
    }

    /**
     * Tells the buffer pool, during a backward pass, which gradient buffers a vertex still to run may read: the
     * epsilons held by the vertices that DL4J has not back-propagated yet. DL4J visits vertices in reverse
     * topological order and hands each vertex's input gradients to its inputs as soon as it is done, so an epsilon
     * held only by finished vertices is dead. Layers of other libraries do not announce themselves: while one runs,
     * the last announced position stands, which only keeps more buffers alive. Epsilons left from the previous
     * pass are cleared first, or their buffers (handed out anew in this pass) would look alive.
     */
    private final class PendingEpsilons implements BufferPool.Liveness {
        private final GraphVertex[] vertices = graph.getVertices();
        private final int[] position = new int[vertices.length];
        private final Map<Object, Integer> positionOf = new java.util.IdentityHashMap<>();
        private int current = Integer.MAX_VALUE;

        PendingEpsilons() {
            int[] order = graph.topologicalSortOrder();
            for (int p = 0; p < order.length; p++) {
                GraphVertex v = vertices[order[p]];
                position[order[p]] = p;
                positionOf.put(v, p);
                if (v.hasLayer()) {
                    positionOf.put(v.getLayer(), p);
                }
                v.setEpsilon(null);
            }
        }

        @Override
        public void enter(Object layerOrVertex) {
            Integer p = positionOf.get(layerOrVertex);
            if (p != null) {
                current = p;
            }
        }

        @Override
        public boolean isLive(INDArray buffer) {
            for (int i = 0; i < vertices.length; i++) {
                INDArray e = position[i] <= current ? vertices[i].getEpsilon() : null;
                if (e != null && overlap(e.data(), buffer.data())) {
                    return true;
                }
            }
            return false;
        }

        /** Whether two native buffers share memory (views of one buffer, or the same buffer). */
        private static boolean overlap(DataBuffer a, DataBuffer b) {
            long aFrom = a.address();
            long bFrom = b.address();
            return aFrom < bFrom + b.length() * b.getElementSize() && bFrom < aFrom + a.length() * a.getElementSize();
        }
    }
}
