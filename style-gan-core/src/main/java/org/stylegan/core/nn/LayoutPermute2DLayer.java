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
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runtime implementation of {@link LayoutPermute2D}. NCHW -> NHWC is one strided copy (libnd4j does it at memory
 * speed). NHWC -> NCHW as one strided copy is ~4x slower (7.9 ms at [1, 256, 256, 32], 2 threads), so it runs as
 * transposes of [rows, C] blocks of each example's [H*W, C] matrix, sized to stay in cache (1.9 ms).
 */
public class LayoutPermute2DLayer extends ParameterFreeLayer<LayoutPermute2D> {
    private static final int[] NCHW_TO_NHWC = {0, 2, 3, 1};
    private static final int[] NHWC_TO_NCHW = {0, 3, 1, 2};
    /** Values per transposed block (512 KB of float32): large enough to amortise a call, small enough for L2. */
    private static final long BLOCK_ELEMENTS = 1L << 17;

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
        return permute(input, layerConf().getDataFormat() == CNN2DFormat.NHWC, mgr, ArrayType.ACTIVATIONS);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        BufferPool.enterBackward(this);
        assertInputSet(true);
        boolean backToNhwc = layerConf().getDataFormat() == CNN2DFormat.NCHW;
        return new Pair<>(new DefaultGradient(), permute(epsilon, backToNhwc, mgr, ArrayType.ACTIVATION_GRAD));
    }

    private static INDArray permute(INDArray x, boolean toNhwc, LayerWorkspaceMgr mgr, ArrayType type) {
        INDArray view = x.permute(toNhwc ? NCHW_TO_NHWC : NHWC_TO_NCHW);
        INDArray out = BufferPool.create(mgr, type, x.dataType(), view.shape());
        if (toNhwc) {
            return out.assign(view);
        }
        long n = x.size(0);
        long hw = x.size(1) * x.size(2);
        long c = x.size(3);
        INDArray src = x.reshape('c', n, hw, c); // read only; a copy if x is not contiguous
        INDArray dst = out.reshape('c', n, c, hw); // a view: out is new and contiguous
        long rows = Math.max(1, BLOCK_ELEMENTS / c);
        for (long i = 0; i < n; i++) {
            for (long r = 0; r < hw; r += rows) {
                INDArrayIndex block = NDArrayIndex.interval(r, Math.min(hw, r + rows));
                dst.get(NDArrayIndex.point(i), NDArrayIndex.all(), block)
                        .assign(src.get(NDArrayIndex.point(i), block, NDArrayIndex.all()).transpose());
            }
        }
        return out;
    }
}
