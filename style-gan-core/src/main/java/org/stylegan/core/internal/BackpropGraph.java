package org.stylegan.core.internal;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link ComputationGraph} that exposes back-propagation of external output gradients, including the gradient
 * with respect to the graph inputs, which M2.1's public API drops. Needs {@code WorkspaceMode.NONE} (activations of
 * the previous forward pass must outlive it). Saved graphs come back as plain {@code ComputationGraph}s.
 */
final class BackpropGraph extends ComputationGraph {
    private static final long serialVersionUID = 1L;

    BackpropGraph(ComputationGraphConfiguration configuration) {
        super(configuration);
    }

    /**
     * Back-propagates {@code outputGradients} (one per network output, in output order) through the activations of
     * the last training forward pass. Fills the graph's gradient view; touches no parameter and no updater state.
     */
    void backpropExternal(INDArray... outputGradients) {
        calcBackpropGradients(false, false, outputGradients);
    }
}
