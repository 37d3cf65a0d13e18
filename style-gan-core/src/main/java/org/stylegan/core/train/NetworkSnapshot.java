package org.stylegan.core.train;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stylegan.core.internal.TrainableGraph;

/**
 * Copies of some networks' parameters and optimizer state, taken in memory and written back on demand: the
 * "last good" state the collapse guard rolls back to. Restoring keeps the networks' iteration counters, so Adam's
 * bias correction goes on from the current step.
 */
final class NetworkSnapshot implements AutoCloseable {
    private final List<TrainableGraph> graphs;
    private final List<INDArray> params = new ArrayList<>();
    private final List<INDArray> updaterStates = new ArrayList<>();
    private final int step;

    private NetworkSnapshot(List<TrainableGraph> graphs, int step) {
        this.graphs = List.copyOf(graphs);
        this.step = step;
        for (TrainableGraph g : this.graphs) {
            params.add(g.graph().params().dup());
            INDArray u = TrainableGraph.updaterState(g.graph());
            updaterStates.add(u == null ? null : u.dup());
        }
    }

    /** Copies the parameters and optimizer state of {@code graphs} now; {@code step} is the step it was taken at. */
    static NetworkSnapshot of(List<TrainableGraph> graphs, int step) {
        return new NetworkSnapshot(graphs, step);
    }

    /** The step after which the snapshot was taken. */
    int step() {
        return step;
    }

    /** Writes the copied parameters and optimizer state back into the same networks. */
    void restore() {
        for (int i = 0; i < graphs.size(); i++) {
            ComputationGraph g = graphs.get(i).graph();
            g.params().assign(params.get(i));
            INDArray u = updaterStates.get(i);
            if (u != null) {
                g.getUpdater(true).getStateViewArray().assign(u);
            }
        }
    }

    /** Frees the copies now instead of at the next garbage collection. */
    @Override
    public void close() {
        for (INDArray a : params) {
            a.close();
        }
        for (INDArray a : updaterStates) {
            if (a != null) {
                a.close();
            }
        }
    }
}
