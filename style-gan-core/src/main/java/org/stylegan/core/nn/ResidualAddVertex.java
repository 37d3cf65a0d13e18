package org.stylegan.core.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;

/** Runtime implementation of {@link ResidualAdd}. */
public class ResidualAddVertex extends BaseGraphVertex {

    /** Creates the vertex; called by {@link ResidualAdd#instantiate}. */
    public ResidualAddVertex(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr mgr) {
        if (!canDoForward()) {
            throw new IllegalStateException("ResidualAdd vertex '" + vertexName + "': inputs not set");
        }
        INDArray a = inputs[0];
        INDArray b = inputs[1];
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("ResidualAdd vertex '" + vertexName + "' needs inputs of one shape, found "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        INDArray out = BufferPool.create(mgr, ArrayType.ACTIVATIONS, a.dataType(), a.shape());
        CustomOps.exec(new AddOp(a, b, out));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr mgr) {
        BufferPool.enterBackward(this);
        if (!canDoBackward()) {
            throw new IllegalStateException("ResidualAdd vertex '" + vertexName + "': epsilon not set");
        }
        // d(a + b)/da = d(a + b)/db = 1. The first input gets this vertex's epsilon itself (DL4J may add further
        // contributions into it in place, after this vertex is done with it); the second a copy, so the two never
        // alias.
        INDArray second = BufferPool.create(mgr, ArrayType.ACTIVATION_GRAD, epsilon.dataType(), epsilon.shape());
        second.assign(epsilon);
        return new Pair<>(null, new INDArray[] {epsilon, second});
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalStateException("ResidualAdd has no parameters");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                           int minibatchSize) {
        return new Pair<>(maskArrays == null ? null : maskArrays[0], currentMaskState);
    }

    @Override
    public String toString() {
        return "ResidualAddVertex(name=" + vertexName + ")";
    }
}
