package org.stylegan.bench;

import java.util.Collections;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.nn.BufferPool;

/** Instantiates one DL4J layer outside a network, with parameters and a gradient view, for layer benchmarks. */
final class SingleLayer {
    private SingleLayer() {
    }

    /** Returns an initialised float32 layer (He-normal weights from a fixed seed) ready for forward/backward. */
    static Layer create(org.deeplearning4j.nn.conf.layers.Layer config) {
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT)
                .weightInit(WeightInit.RELU).layer(config).build();
        long n = conf.getLayer().initializer().numParams(conf);
        INDArray params = Nd4j.create(DataType.FLOAT, 1, n);
        Layer layer = conf.getLayer().instantiate(conf, Collections.emptyList(), 0, params, true, DataType.FLOAT);
        layer.setBackpropGradientsViewArray(Nd4j.create(DataType.FLOAT, 1, n));
        return layer;
    }

    // As in a network's training pass (TrainableGraph): this library's layers take their output and gradient
    // buffers from a pool reused from pass to pass, so a benchmark times the layer, not page faults.
    private static final BufferPool POOL = new BufferPool();

    /** Forward in training mode (keeps what backward needs); starts a new pass of the buffer pool. */
    static INDArray forward(Layer layer, INDArray x) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        POOL.recycle();
        try (BufferPool.Scope ignored = POOL.open()) {
            layer.setInput(x, mgr);
            return layer.activate(true, mgr);
        }
    }

    /** Backward of the last {@link #forward}, in the same pass of the buffer pool. */
    static Object backward(Layer layer, INDArray eps) {
        try (BufferPool.Scope ignored = POOL.open()) {
            return layer.backpropGradient(eps, LayerWorkspaceMgr.noWorkspaces());
        }
    }
}
