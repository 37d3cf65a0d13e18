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
 * Runtime implementation of {@link ReflectionPadding2D}.
 *
 * <p>Forward copies the input into the centre, mirrors rows, then mirrors whole columns (corners come out right).
 * Backward runs the same copies in reverse as accumulations: column contributions are folded back first, then
 * row contributions, then the centre is the input gradient. One strided ND4J copy per padded row/column.
 *
 * <p>NHWC ([N, H, W, C]) runs the same copies, with rows of W*C contiguous values. Its backward copies only the
 * centre of the gradient and folds the borders into it (reflection is separable: the gradient of input pixel
 * (i, j) is the sum over padded pixels whose row reflects to i and whose column reflects to j), so it never copies
 * the whole padded gradient.
 */
public class ReflectionPadding2DLayer extends ParameterFreeLayer<ReflectionPadding2D> {

    /** Creates the layer for a configuration; called by {@link ReflectionPadding2D#instantiate}. */
    public ReflectionPadding2DLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
        assertInputSet(false);
        INDArray x = input;
        int[] p = layerConf().getPadding();
        check(x, p);
        if (nhwc()) {
            return activateNhwc(x, p, mgr);
        }
        long h = x.size(2);
        long w = x.size(3);
        long oh = h + p[0] + p[1];
        long ow = w + p[2] + p[3];
        INDArray out = BufferPool.create(mgr, ArrayType.ACTIVATIONS, x.dataType(), x.size(0), x.size(1), oh, ow);
        INDArrayIndex cols = NDArrayIndex.interval(p[2], p[2] + w);
        out.get(all(), all(), NDArrayIndex.interval(p[0], p[0] + h), cols).assign(x);
        for (int i = 1; i <= p[0]; i++) {
            out.get(all(), all(), NDArrayIndex.point(p[0] - i), cols)
                    .assign(x.get(all(), all(), NDArrayIndex.point(i), all()));
        }
        for (int i = 1; i <= p[1]; i++) {
            out.get(all(), all(), NDArrayIndex.point(p[0] + h - 1 + i), cols)
                    .assign(x.get(all(), all(), NDArrayIndex.point(h - 1 - i), all()));
        }
        for (int j = 1; j <= p[2]; j++) {
            out.get(all(), all(), all(), NDArrayIndex.point(p[2] - j))
                    .assign(out.get(all(), all(), all(), NDArrayIndex.point(p[2] + j)));
        }
        for (int j = 1; j <= p[3]; j++) {
            out.get(all(), all(), all(), NDArrayIndex.point(p[2] + w - 1 + j))
                    .assign(out.get(all(), all(), all(), NDArrayIndex.point(p[2] + w - 1 - j)));
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
        BufferPool.enterBackward(this);
        assertInputSet(true);
        int[] p = layerConf().getPadding();
        if (nhwc()) {
            return new Pair<>(new DefaultGradient(), backpropNhwc(epsilon, p, mgr));
        }
        long h = input.size(2);
        long w = input.size(3);
        // Work on a copy: DL4J may hand the same epsilon array to several vertices.
        INDArray g = epsilon.dup('c');
        for (int j = 1; j <= p[2]; j++) {
            g.get(all(), all(), all(), NDArrayIndex.point(p[2] + j))
                    .addi(g.get(all(), all(), all(), NDArrayIndex.point(p[2] - j)));
        }
        for (int j = 1; j <= p[3]; j++) {
            g.get(all(), all(), all(), NDArrayIndex.point(p[2] + w - 1 - j))
                    .addi(g.get(all(), all(), all(), NDArrayIndex.point(p[2] + w - 1 + j)));
        }
        for (int i = 1; i <= p[0]; i++) {
            g.get(all(), all(), NDArrayIndex.point(p[0] + i), all())
                    .addi(g.get(all(), all(), NDArrayIndex.point(p[0] - i), all()));
        }
        for (int i = 1; i <= p[1]; i++) {
            g.get(all(), all(), NDArrayIndex.point(p[0] + h - 1 - i), all())
                    .addi(g.get(all(), all(), NDArrayIndex.point(p[0] + h - 1 + i), all()));
        }
        INDArray dx = BufferPool.create(mgr, ArrayType.ACTIVATION_GRAD, epsilon.dataType(), input.shape());
        dx.assign(g.get(all(), all(), NDArrayIndex.interval(p[0], p[0] + h), NDArrayIndex.interval(p[2], p[2] + w)));
        return new Pair<>(new DefaultGradient(), dx);
    }

    private INDArray activateNhwc(INDArray x, int[] p, LayerWorkspaceMgr mgr) {
        long h = x.size(1);
        long w = x.size(2);
        INDArray out = BufferPool.create(mgr, ArrayType.ACTIVATIONS, x.dataType(),
                x.size(0), h + p[0] + p[1], w + p[2] + p[3], x.size(3));
        ReflectionPad.interior(out, p).assign(x);
        ReflectionPad.fillBorders(out, p);
        return out;
    }

    private INDArray backpropNhwc(INDArray eps, int[] p, LayerWorkspaceMgr mgr) {
        INDArray dx = BufferPool.create(mgr, ArrayType.ACTIVATION_GRAD, eps.dataType(), input.shape());
        ReflectionPad.fold(eps, p, dx);
        return dx;
    }

    private boolean nhwc() {
        return layerConf().getDataFormat() == CNN2DFormat.NHWC;
    }

    private void check(INDArray x, int[] p) {
        boolean nhwc = nhwc();
        if (x.rank() != 4) {
            throw new IllegalArgumentException("ReflectionPadding2D layer '" + layerConf().getLayerName()
                    + "' expects " + layerConf().getDataFormat() + " input of rank 4, found shape "
                    + Arrays.toString(x.shape()));
        }
        long h = x.size(nhwc ? 1 : 2);
        long w = x.size(nhwc ? 2 : 3);
        if (Math.max(p[0], p[1]) >= h || Math.max(p[2], p[3]) >= w) {
            throw new IllegalArgumentException("reflection padding " + Arrays.toString(p)
                    + " [top, bottom, left, right] needs each pad smaller than the padded size, found height "
                    + h + " and width " + w + "; use a larger image");
        }
    }

    private static INDArrayIndex all() {
        return NDArrayIndex.all();
    }
}
