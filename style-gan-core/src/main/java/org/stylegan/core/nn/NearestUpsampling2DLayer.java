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
import org.nd4j.linalg.api.ops.impl.transforms.custom.Assign;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime implementation of {@link NearestUpsampling2D}.
 *
 * <p>With s the scale, the output viewed as [N*C*H, s, W, s] is the input viewed as [N*C*H, 1, W, 1] broadcast by
 * libnd4j's broadcastable {@code assign} op in one pass (note: {@code INDArray.assign} does not broadcast, it copies
 * linearly). Backward sums the gradient over the two size-s axes of the same view.
 *
 * <p>NHWC ([N, H, W, C]) is the same with the channels innermost: output viewed as [N*H, s, W, s, C], input as
 * [N*H, 1, W, 1, C].
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
                    + "' expects " + layerConf().getDataFormat() + " input of rank 4, found shape "
                    + Arrays.toString(x.shape()));
        }
        int s = layerConf().getScale();
        if (nhwc()) {
            long n = x.size(0);
            long h = x.size(1);
            long w = x.size(2);
            long c = x.size(3);
            INDArray out = BufferPool.create(mgr, ArrayType.ACTIVATIONS, x.dataType(), new long[] {n, h * s, w * s, c});
            INDArray o5 = out.reshape('c', n * h, s, w, s, c);
            INDArray x5 = x.reshape('c', n * h, 1, w, 1, c);
            CustomOps.exec(new Assign(new INDArray[] {o5, x5}, new INDArray[] {o5}));
            return out;
        }
        long n = x.size(0);
        long c = x.size(1);
        long h = x.size(2);
        long w = x.size(3);
        INDArray out = BufferPool.create(mgr, ArrayType.ACTIVATIONS, x.dataType(), new long[] {n, c, h * s, w * s});
        INDArray o4 = out.reshape('c', n * c * h, s, w, s);
        INDArray x4 = x.reshape('c', n * c * h, 1, w, 1); // a view when x is c-contiguous, else a copy
        CustomOps.exec(new Assign(new INDArray[] {o4, x4}, new INDArray[] {o4}));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        BufferPool.enterBackward(this);
        assertInputSet(true);
        int s = layerConf().getScale();
        if (nhwc()) {
            long n = input.size(0);
            long h = input.size(1);
            long w = input.size(2);
            long c = input.size(3);
            INDArray e5 = epsilon.reshape('c', n * h, s, w, s, c); // read only
            INDArray dx = BufferPool.create(mgr, ArrayType.ACTIVATION_GRAD, epsilon.dataType(), input.shape());
            dx.reshape('c', n * h, w, c).assign(e5.sum(1, 3));
            return new Pair<>(new DefaultGradient(), dx);
        }
        long n = input.size(0);
        long c = input.size(1);
        long h = input.size(2);
        long w = input.size(3);
        INDArray e4 = epsilon.reshape('c', n * c * h, s, w, s); // read only
        INDArray dx = BufferPool.create(mgr, ArrayType.ACTIVATION_GRAD, epsilon.dataType(), input.shape());
        dx.reshape('c', n * c * h, w).assign(e4.sum(1, 3));
        return new Pair<>(new DefaultGradient(), dx);
    }

    private boolean nhwc() {
        return layerConf().getDataFormat() == CNN2DFormat.NHWC;
    }
}
