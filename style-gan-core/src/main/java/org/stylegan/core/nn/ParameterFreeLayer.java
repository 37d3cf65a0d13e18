package org.stylegan.core.nn;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Base of this library's parameter-free layer implementations: no parameters, no pretraining, no
 * regularisation; subclasses write {@code type}, {@code activate} and {@code backpropGradient}.
 */
public abstract class ParameterFreeLayer<C extends SpatialLayerConfig> extends AbstractLayer<C> {

    /** Creates the layer for a configuration. */
    protected ParameterFreeLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
        // no parameters
    }

    @Override
    public double calcRegularizationScore(boolean backpropOnlyParams) {
        return 0;
    }

    @Override
    public Layer clone() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not support clone()");
    }
}
