package org.stylegan.core.nn;

import java.util.Arrays;
import java.util.Collection;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 2-D convolution over NHWC activations ([batch, height, width, channels]) that calls libnd4j's {@code conv2d} /
 * {@code conv2d_bp} ops directly, so oneDNN's NHWC kernels run with no layout reorder of the activations.
 *
 * <p>Why not DL4J's {@code ConvolutionLayer}: with NCHW activations oneDNN reorders input and output on every call
 * (about as long as the convolution itself), and DL4J's own NHWC mode measured 2-4x slower than the bare op in
 * 1.0.0-M2.1. Weights are stored as [kH, kW, cIn, cOut], bias as [1, cOut]; zero padding is explicit per side
 * pair (reflection padding is a separate {@link ReflectionPadding2D} layer). The activation (identity, ReLU,
 * leaky ReLU, tanh, ...) is applied in place after the convolution.
 */
public class NhwcConvolution2D extends NhwcConvConfig {
    private int[] kernel = {3, 3};
    private int[] stride = {1, 1};
    private int[] padding = {0, 0};

    /** For JSON deserialisation; use {@link Builder}. */
    public NhwcConvolution2D() {
        this.activationFn = Activation.IDENTITY.getActivationFunction();
    }

    private NhwcConvolution2D(Builder builder) {
        super(builder);
        this.kernel = builder.kernel.clone();
        this.stride = builder.stride.clone();
        this.padding = builder.padding.clone();
        if (this.activationFn == null) {
            this.activationFn = Activation.IDENTITY.getActivationFunction();
        }
    }

    /** Returns a copy of the kernel size [height, width]. */
    @Override
    public int[] getKernel() {
        return kernel.clone();
    }

    /** For JSON. */
    public void setKernel(int[] kernel) {
        this.kernel = Builder.positivePair("kernel", kernel);
    }

    /** Returns a copy of the stride [height, width]. */
    @Override
    public int[] getStride() {
        return stride.clone();
    }

    /** For JSON. */
    public void setStride(int[] stride) {
        this.stride = Builder.positivePair("stride", stride);
    }

    /** Returns a copy of the zero padding [height, width] (each applied on both sides). */
    public int[] getPadding() {
        return padding.clone();
    }

    /** For JSON. */
    public void setPadding(int[] padding) {
        this.padding = Builder.nonNegativePair("padding", padding);
    }

    /** Output size along one axis for an input size, or a clear error when the input is too small. */
    long outputSize(long in, int axis) {
        long padded = in + 2L * padding[axis];
        if (padded < kernel[axis]) {
            throw new IllegalArgumentException("NhwcConvolution2D layer '" + getLayerName() + "': input "
                    + (axis == 0 ? "height " : "width ") + in + " (+ padding " + 2 * padding[axis]
                    + ") is smaller than the kernel " + kernel[axis] + "; use a larger image");
        }
        return (padded - kernel[axis]) / stride[axis] + 1;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        if (getNIn() <= 0 || getNOut() <= 0) {
            throw new IllegalStateException("NhwcConvolution2D layer '" + getLayerName()
                    + "' needs nIn and nOut (set them, or give the graph an input type)");
        }
        return ParamLayers.wire(new NhwcConvolution2DLayer(conf, networkDataType), conf, listeners, layerIndex,
                layerParamsView, initializeParams);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional c = nhwcInput(inputType);
        return InputType.convolutional(outputSize(c.getHeight(), 0), outputSize(c.getWidth(), 1), nOut,
                CNN2DFormat.NHWC);
    }

    @Override
    public NhwcConvolution2D clone() {
        NhwcConvolution2D c = (NhwcConvolution2D) super.clone();
        c.kernel = kernel.clone();
        c.stride = stride.clone();
        c.padding = padding.clone();
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NhwcConvolution2D other && super.equals(o) && Arrays.equals(kernel, other.kernel)
                && Arrays.equals(stride, other.stride) && Arrays.equals(padding, other.padding);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * super.hashCode() + Arrays.hashCode(kernel)) + Arrays.hashCode(stride))
                + Arrays.hashCode(padding);
    }

    @Override
    public String toString() {
        return "NhwcConvolution2D(name=" + getLayerName() + ", " + nIn + "->" + nOut + ", kernel="
                + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride) + ", padding="
                + Arrays.toString(padding) + ", activation=" + activationFn + ")";
    }

    /** Builder; {@code nIn} may be left unset when the graph has an input type. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private int[] kernel = {3, 3};
        private int[] stride = {1, 1};
        private int[] padding = {0, 0};

        /** Creates a builder for a square kernel, stride 1, no padding, identity activation. */
        public Builder(int kernelSize) {
            kernel = positivePair("kernel", new int[] {kernelSize, kernelSize});
            this.activationFn = Activation.IDENTITY.getActivationFunction();
        }

        /** Stride for height and width, >= 1; default 1. */
        public Builder stride(int s) {
            stride = positivePair("stride", new int[] {s, s});
            return this;
        }

        /** Zero padding on every side, >= 0; default 0. */
        public Builder padding(int p) {
            padding = nonNegativePair("padding", new int[] {p, p});
            return this;
        }

        /** Activation applied after the convolution; default identity. */
        @Override
        public Builder activation(IActivation activation) {
            return super.activation(activation);
        }

        static int[] positivePair(String what, int[] v) {
            if (v == null || v.length != 2 || v[0] < 1 || v[1] < 1) {
                throw new IllegalArgumentException(what + " must be two values >= 1, found " + Arrays.toString(v));
            }
            return v.clone();
        }

        static int[] nonNegativePair(String what, int[] v) {
            if (v == null || v.length != 2 || v[0] < 0 || v[1] < 0) {
                throw new IllegalArgumentException(what + " must be two values >= 0, found " + Arrays.toString(v));
            }
            return v.clone();
        }

        @Override
        @SuppressWarnings("unchecked")
        public NhwcConvolution2D build() {
            if (nOut <= 0) {
                throw new IllegalArgumentException("NhwcConvolution2D needs nOut (output channels) > 0, found "
                        + nOut);
            }
            return new NhwcConvolution2D(this);
        }
    }
}
