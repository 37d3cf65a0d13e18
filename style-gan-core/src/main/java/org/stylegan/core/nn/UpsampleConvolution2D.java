package org.stylegan.core.nn;

import java.util.Collection;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonIgnore;

/**
 * Nearest-neighbour x2 upsampling, padding by one pixel and a 3x3 stride-1 convolution, as one layer over NHWC
 * activations: the generator's "resize-convolution" up block. Same function as {@link NearestUpsampling2D} (x2),
 * then {@link ReflectionPadding2D} (1) or zero padding (1), then a 3x3 {@link NhwcConvolution2D}, with the same
 * parameters ([3, 3, cIn, cOut] weights and [1, cOut] bias, drawn in the same order, so the same seed gives the same
 * network), but computed on the low-resolution input without building the upsampled image.
 *
 * <p>Why: every output pixel of a 3x3 convolution over a x2 nearest-upsampled image sees only a 2x2 window of the
 * input, so the four output phases are four 2x2 convolutions of the input with sums of the 3x3 taps: 16 instead
 * of 36 multiply-adds per input pixel and channel pair, and no upsampled or padded copy (x4 the input) to write,
 * pad and fold. Reflection padding of the upsampled image is edge padding of the input. See
 * {@link UpsampleConvolution2DLayer} for the algebra and measurements.
 *
 * <p>The activation must be identity or one whose derivative follows from the output (ReLU, leaky ReLU with
 * alpha > 0, tanh); the generator puts instance norm after this layer, so it uses identity.
 */
public class UpsampleConvolution2D extends NhwcConvConfig {
    private static final int[] KERNEL = {3, 3};
    private static final int[] STRIDE = {1, 1};
    private boolean reflect = true;

    /** For JSON deserialisation; use {@link Builder}. */
    public UpsampleConvolution2D() {
        this.activationFn = Activation.IDENTITY.getActivationFunction();
    }

    private UpsampleConvolution2D(Builder builder) {
        super(builder);
        this.reflect = builder.reflect;
        if (this.activationFn == null) {
            this.activationFn = Activation.IDENTITY.getActivationFunction();
        }
    }

    /** Whether the upsampled image is reflection padded (true, the default) or zero padded. */
    public boolean isReflect() {
        return reflect;
    }

    /** For JSON. */
    public void setReflect(boolean reflect) {
        this.reflect = reflect;
    }

    /** The kernel of the convolution on the upsampled image: always 3x3. */
    @Override
    @JsonIgnore
    public int[] getKernel() {
        return KERNEL.clone();
    }

    /** The stride of the convolution on the upsampled image: always 1. */
    @Override
    @JsonIgnore
    public int[] getStride() {
        return STRIDE.clone();
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        if (getNIn() <= 0 || getNOut() <= 0) {
            throw new IllegalStateException("UpsampleConvolution2D layer '" + getLayerName()
                    + "' needs nIn and nOut (set them, or give the graph an input type)");
        }
        return ParamLayers.wire(new UpsampleConvolution2DLayer(conf, networkDataType), conf, listeners, layerIndex,
                layerParamsView, initializeParams);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional c = nhwcInput(inputType);
        return InputType.convolutional(2 * c.getHeight(), 2 * c.getWidth(), nOut, CNN2DFormat.NHWC);
    }

    @Override
    public UpsampleConvolution2D clone() {
        return (UpsampleConvolution2D) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UpsampleConvolution2D other && super.equals(o) && reflect == other.reflect;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Boolean.hashCode(reflect);
    }

    @Override
    public String toString() {
        return "UpsampleConvolution2D(name=" + getLayerName() + ", " + nIn + "->" + nOut + ", x2 nearest, "
                + (reflect ? "reflection" : "zero") + " padding 1, 3x3, activation=" + activationFn + ")";
    }

    /** Builder; {@code nIn} may be left unset when the graph has an input type. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private boolean reflect = true;

        /** Creates a builder: reflection padding, identity activation. */
        public Builder() {
            this.activationFn = Activation.IDENTITY.getActivationFunction();
        }

        /** Reflection (true, default; PyTorch's ReflectionPad2d after Upsample) or zero padding (false). */
        public Builder reflect(boolean reflect) {
            this.reflect = reflect;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public UpsampleConvolution2D build() {
            if (nOut <= 0) {
                throw new IllegalArgumentException("UpsampleConvolution2D needs nOut (output channels) > 0, found "
                        + nOut);
            }
            IActivation act = activationFn;
            if (act != null && !(act instanceof ActivationIdentity) && !OutputDerivative.supports(act)) {
                throw new IllegalArgumentException("UpsampleConvolution2D supports identity, ReLU, leaky ReLU"
                        + " (alpha > 0) and tanh activations, found " + act
                        + "; use identity and add an activation or normalization layer after it");
            }
            return new UpsampleConvolution2D(this);
        }
    }
}
