package org.stylegan.core.nn;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Instance normalization over NCHW or NHWC activations, like PyTorch's {@code InstanceNorm2d(affine=True)}.
 *
 * <p>Each (example, channel) plane is normalised by its own mean and biased variance:
 * {@code y = act(gamma[c] * (x - mean) / sqrt(var + eps) + beta[c])}. Training and inference compute the same
 * thing (no running statistics). The optional activation (default identity) is fused to save one pass over the
 * activations; the generator uses it for IN + ReLU.
 *
 * <p>Forward and backward are hand-written ND4J ops ({@link InstanceNormalizationLayer}); the configuration
 * serialises with DL4J's JSON, so graphs containing it save and load through {@code ModelSerializer} as long as
 * this class is on the class path.
 */
public class InstanceNormalization extends FeedForwardLayer {
    private double eps = 1e-5;
    private boolean affine = true;
    // Absent from JSON written before NHWC support: such layers are NCHW.
    private CNN2DFormat dataFormat = CNN2DFormat.NCHW;

    /** For JSON deserialisation; use {@link Builder}. */
    public InstanceNormalization() {
        this.activationFn = Activation.IDENTITY.getActivationFunction();
    }

    private InstanceNormalization(Builder builder) {
        super(builder);
        this.eps = builder.eps;
        this.affine = builder.affine;
        this.dataFormat = builder.dataFormat;
        if (this.activationFn == null) {
            this.activationFn = Activation.IDENTITY.getActivationFunction();
        }
    }

    /** Returns the variance epsilon (default 1e-5, as PyTorch). */
    public double getEps() {
        return eps;
    }

    /** Sets the variance epsilon; for JSON. */
    public void setEps(double eps) {
        this.eps = eps;
    }

    /** Returns whether the layer has per-channel gamma and beta (default true). */
    public boolean isAffine() {
        return affine;
    }

    /** Sets affinity; for JSON. */
    public void setAffine(boolean affine) {
        this.affine = affine;
    }

    /** Returns the activation layout (default NCHW). */
    public CNN2DFormat getDataFormat() {
        return dataFormat;
    }

    /** Sets the activation layout; for JSON. */
    public void setDataFormat(CNN2DFormat dataFormat) {
        this.dataFormat = java.util.Objects.requireNonNull(dataFormat, "dataFormat");
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        if (getNOut() <= 0) {
            throw new IllegalStateException("InstanceNormalization layer '" + getLayerName()
                    + "' has no channel count: set nIn/nOut or give the graph an input type");
        }
        return ParamLayers.wire(new InstanceNormalizationLayer(conf, networkDataType), conf, listeners, layerIndex,
                layerParamsView, initializeParams);
    }

    @Override
    public ParamInitializer initializer() {
        return InstanceNormParamInitializer.getInstance();
    }

    private InputType.InputTypeConvolutional convolutionalInput(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional c) || c.getFormat() != dataFormat) {
            throw new IllegalStateException("InstanceNormalization layer '" + getLayerName()
                    + "' needs convolutional " + dataFormat + " input, found " + inputType);
        }
        return c;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return convolutionalInput(inputType);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeConvolutional c = convolutionalInput(inputType);
        if (nIn <= 0 || override) {
            nIn = c.getChannels();
            nOut = nIn;
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        // Like batch norm: a handful of per-channel scales and shifts are not regularised.
        return Collections.emptyList();
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long perExample = outputType.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(layerName, InstanceNormalization.class, inputType, outputType)
                .standardMemory(initializer().numParams(this), 0)
                .workingMemory(0, perExample, 0, 2 * perExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public InstanceNormalization clone() {
        return (InstanceNormalization) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof InstanceNormalization other) || !super.equals(o)) {
            return false;
        }
        return Double.compare(eps, other.eps) == 0 && affine == other.affine && dataFormat == other.dataFormat;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * super.hashCode() + Double.hashCode(eps)) + Boolean.hashCode(affine))
                + dataFormat.hashCode();
    }

    @Override
    public String toString() {
        return "InstanceNormalization(name=" + getLayerName() + ", channels=" + nOut + ", eps=" + eps
                + ", affine=" + affine + ", format=" + dataFormat + ", activation=" + activationFn + ")";
    }

    /** Builder; {@code nOut} (channels) may be left unset when the graph has an input type. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private double eps = 1e-5;
        private boolean affine = true;
        private CNN2DFormat dataFormat = CNN2DFormat.NCHW;

        /** Creates a builder with eps 1e-5, affine, identity activation. */
        public Builder() {
            this.activationFn = Activation.IDENTITY.getActivationFunction();
        }

        /** Variance epsilon, default 1e-5; must be > 0. */
        public Builder eps(double eps) {
            if (!(eps > 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("eps must be > 0 and finite, found " + eps);
            }
            this.eps = eps;
            return this;
        }

        /** Whether to learn per-channel gamma/beta, default true. */
        public Builder affine(boolean affine) {
            this.affine = affine;
            return this;
        }

        /** Activation layout, NCHW (default) or NHWC. */
        public Builder dataFormat(CNN2DFormat format) {
            this.dataFormat = java.util.Objects.requireNonNull(format, "dataFormat");
            return this;
        }

        /** Number of channels (sets both nIn and nOut). */
        public Builder channels(long channels) {
            if (channels <= 0) {
                throw new IllegalArgumentException("channels must be > 0, found " + channels);
            }
            this.nIn = channels;
            this.nOut = channels;
            return this;
        }

        /** Activation applied after normalization (fused), default identity. */
        @Override
        public Builder activation(IActivation activation) {
            return super.activation(activation);
        }

        @Override
        @SuppressWarnings("unchecked")
        public InstanceNormalization build() {
            return new InstanceNormalization(this);
        }
    }
}
