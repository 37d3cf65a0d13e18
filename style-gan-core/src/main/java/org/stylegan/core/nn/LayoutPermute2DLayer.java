package org.stylegan.core.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime implementation of {@link LayoutPermute2D}: one strided copy each way. */
public class LayoutPermute2DLayer extends ParameterFreeLayer<LayoutPermute2D> {
    private static final int[] NCHW_TO_NHWC = {0, 2, 3, 1};
    private static final int[] NHWC_TO_NCHW = {0, 3, 1, 2};

    /** Creates the layer for a configuration; called by {@link LayoutPermute2D#instantiate}. */
    public LayoutPermute2DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        if (input.rank() != 4) {
            throw new IllegalArgumentException("LayoutPermute2D layer '" + layerConf().getLayerName() + "' expects "
                    + layerConf().inputFormat() + " input of rank 4, found shape " + Arrays.toString(input.shape()));
        }
        return permuteInto(input, toTarget(), mgr, ArrayType.ACTIVATIONS);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        int[] back = toTarget() == NCHW_TO_NHWC ? NHWC_TO_NCHW : NCHW_TO_NHWC;
        return new Pair<>(new DefaultGradient(), permuteInto(epsilon, back, mgr, ArrayType.ACTIVATION_GRAD));
    }

    private int[] toTarget() {
        return layerConf().getDataFormat() == CNN2DFormat.NHWC ? NCHW_TO_NHWC : NHWC_TO_NCHW;
    }

    private static INDArray permuteInto(INDArray x, int[] perm, LayerWorkspaceMgr mgr, ArrayType type) {
        INDArray view = x.permute(perm);
        INDArray out = BufferPool.create(mgr, type, x.dataType(), view.shape());
        return out.assign(view);
    }
}
