package org.stylegan.core.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Assign;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime implementation of {@link NearestUpsampling2D}.
 *
 * <p>With s the scale, the output viewed as [N*C*H, s, W, s] is the input viewed as [N*C*H, 1, W, 1] broadcast by
 * libnd4j's broadcastable {@code assign} op in one pass (note: {@code INDArray.assign} does not broadcast, it copies
 * linearly). Backward sums the gradient over the two size-s axes of the same view.
 */
public class NearestUpsampling2DLayer extends ParameterFreeLayer<NearestUpsampling2D> {

    /** Creates the layer for a configuration; called by {@link NearestUpsampling2D#instantiate}. */
    public NearestUpsampling2DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.UPSAMPLING;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        INDArray x = input;
        if (x.rank() != 4) {
            throw new IllegalArgumentException("NearestUpsampling2D layer '" + layerConf().getLayerName()
                    + "' expects NCHW input of rank 4, found shape " + Arrays.toString(x.shape()));
        }
        int s = layerConf().getScale();
        long n = x.size(0);
        long c = x.size(1);
        long h = x.size(2);
        long w = x.size(3);
        INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(),
                new long[] {n, c, h * s, w * s}, 'c');
        INDArray o4 = out.reshape('c', n * c * h, s, w, s);
        INDArray x4 = x.reshape('c', n * c * h, 1, w, 1); // a view when x is c-contiguous, else a copy
        Nd4j.exec(new Assign(new INDArray[] {o4, x4}, new INDArray[] {o4}));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        assertInputSet(true);
        int s = layerConf().getScale();
        long n = input.size(0);
        long c = input.size(1);
        long h = input.size(2);
        long w = input.size(3);
        INDArray e4 = epsilon.reshape('c', n * c * h, s, w, s); // read only
        INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), input.shape(), 'c');
        dx.reshape('c', n * c * h, w).assign(e4.sum(1, 3));
        return new Pair<>(new DefaultGradient(), dx);
    }
}
