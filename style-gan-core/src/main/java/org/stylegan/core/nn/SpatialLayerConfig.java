package org.stylegan.core.nn;

import java.util.Collection;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Base of this library's parameter-free NCHW layer configurations (reflection padding, nearest upsampling): the
 * DL4J plumbing they share, so that each subclass only states its output shape and its layer class. Adds no JSON
 * fields, so saved models are unaffected.
 */
public abstract class SpatialLayerConfig extends NoParamLayer {

    /** For JSON deserialisation of subclasses. */
    protected SpatialLayerConfig() {
    }

    /** For subclasses' builders. */
    protected SpatialLayerConfig(Builder<?> builder) {
        super(builder);
    }

    /** Creates the layer implementation for this configuration. */
    protected abstract AbstractLayer<?> createLayer(NeuralNetConfiguration conf, DataType dataType);

    @Override
    public final org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        AbstractLayer<?> ret = createLayer(conf, networkDataType);
        ret.setListeners(listeners);
        ret.setIndex(layerIndex);
        ret.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        ret.setConf(conf);
        return ret;
    }

    /** Returns {@code inputType} as a convolutional type, or fails naming this layer. */
    protected InputType.InputTypeConvolutional convolutionalInput(InputType inputType) {
        if (inputType == null || inputType.getType() != InputType.Type.CNN) {
            throw new IllegalStateException(getClass().getSimpleName() + " layer '" + getLayerName()
                    + "' needs convolutional (NCHW) input, found " + inputType);
        }
        return (InputType.InputTypeConvolutional) inputType;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, outputType)
                .standardMemory(0, 0)
                .workingMemory(0, 0, MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }
}
