package org.stylegan.core.nn;

import java.util.Collection;
import java.util.Objects;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Base of this library's parameter-free 2D layer configurations (reflection padding, nearest upsampling, layout
 * permutes): the DL4J plumbing they share and the activation layout, so that each subclass only states its output
 * shape and its layer class.
 *
 * <p>The layout is one JSON field, {@code dataFormat}; models saved before it existed have no such field and load
 * as {@link CNN2DFormat#NCHW}, the default.
 */
public abstract class SpatialLayerConfig extends NoParamLayer {
    private CNN2DFormat dataFormat = CNN2DFormat.NCHW;

    /** For JSON deserialisation of subclasses. */
    protected SpatialLayerConfig() {
    }

    /** For subclasses' builders. */
    protected SpatialLayerConfig(Builder<?> builder) {
        super(builder);
        this.dataFormat = builder.dataFormat;
    }

    /** Returns the activation layout, NCHW ([N, C, H, W]) or NHWC ([N, H, W, C]); NCHW by default. */
    public CNN2DFormat getDataFormat() {
        return dataFormat;
    }

    /** Sets the activation layout; for JSON. */
    public void setDataFormat(CNN2DFormat dataFormat) {
        this.dataFormat = Builder.validate(dataFormat);
    }

    /** Returns the layout this layer's input must have; the layer's own layout unless a subclass converts. */
    protected CNN2DFormat inputFormat() {
        return dataFormat;
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

    /**
     * Returns {@code inputType} as a convolutional type in {@link #inputFormat()}, or fails naming this layer. A
     * different layout is an error, not converted: put a {@link LayoutPermute2D} in front.
     */
    protected InputType.InputTypeConvolutional convolutionalInput(InputType inputType) {
        CNN2DFormat expected = inputFormat();
        if (inputType == null || inputType.getType() != InputType.Type.CNN) {
            throw new IllegalStateException(getClass().getSimpleName() + " layer '" + getLayerName()
                    + "' needs convolutional (" + expected + ") input, found " + inputType);
        }
        InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) inputType;
        if (c.getFormat() != expected) {
            throw new IllegalStateException(getClass().getSimpleName() + " layer '" + getLayerName()
                    + "' expects " + expected + " input but its input type is " + c.getFormat() + " (" + c
                    + "); set the layer's dataFormat to " + c.getFormat() + " or convert with LayoutPermute2D");
        }
        return c;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof SpatialLayerConfig other && super.equals(o) && dataFormat == other.dataFormat;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Objects.hashCode(dataFormat);
    }

    /** Builder of the settings every spatial layer has. */
    public abstract static class Builder<T extends Builder<T>> extends Layer.Builder<T> {
        private CNN2DFormat dataFormat = CNN2DFormat.NCHW;

        /** Activation layout, NCHW ([N, C, H, W]) or NHWC ([N, H, W, C]); default NCHW. */
        @SuppressWarnings("unchecked")
        public T dataFormat(CNN2DFormat dataFormat) {
            this.dataFormat = validate(dataFormat);
            return (T) this;
        }

        static CNN2DFormat validate(CNN2DFormat f) {
            if (f == null) {
                throw new IllegalArgumentException("dataFormat must be NCHW or NHWC, found null");
            }
            return f;
        }
    }
}
