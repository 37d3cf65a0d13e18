package org.stylegan.bench;

import java.util.Collections;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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

    /** Forward in training mode (keeps what backward needs). */
    static INDArray forward(Layer layer, INDArray x) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x, mgr);
        return layer.activate(true, mgr);
    }
}
