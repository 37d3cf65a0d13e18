package org.stylegan.core.net;

import java.util.Objects;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stylegan.core.internal.TrainableGraph;

/**
 * What the generator and the discriminator share as API: inference output, size, data type, the DL4J graph for
 * export. A network holds its training plumbing ({@link #engine()}) rather than being it, so the plumbing's methods
 * do not become the network's API.
 */
public abstract class Network {
    private final TrainableGraph engine;

    Network(TrainableGraph engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /**
     * Runs the network in inference mode on an NCHW batch in [-1, 1] and returns its output (a new array, the
     * caller's to keep).
     *
     * @throws IllegalArgumentException for a wrong rank, channel count or size, naming the fix
     */
    public INDArray output(INDArray x) {
        return engine.output(x);
    }

    /** Returns the number of trainable parameters. */
    public long numParams() {
        return engine.numParams();
    }

    /** Returns the data type of the parameters and activations. */
    public DataType dataType() {
        return engine.dataType();
    }

    /** Returns the DL4J graph (live: its parameters are the ones trained), for export or inspection. */
    public ComputationGraph graph() {
        return engine.graph();
    }

    /**
     * The training plumbing behind this network (forward and backward passes, gradients, optimizer steps). Internal:
     * used by the trainer and benchmarks of this library; not API, it may change in any release.
     */
    public TrainableGraph engine() {
        return engine;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + config() + ", " + engine.numParams() + " params]";
    }

    /** Returns the immutable architecture config. */
    public abstract Object config();
}
