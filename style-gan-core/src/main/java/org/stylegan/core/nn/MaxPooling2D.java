package org.stylegan.core.nn;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Max pooling of NCHW or NHWC activations with a square window and no padding (DL4J's {@code SubsamplingLayer}
 * with {@code PoolingType.MAX} and {@code ConvolutionMode.Truncate}: trailing rows and columns that do not fill a
 * window are dropped), computed by libnd4j's {@code maxpool2d} / {@code maxpool2d_bp} ops called directly.
 *
 * <p>Why not {@code SubsamplingLayer}: in ND4J 1.0.0-M2.1 with NHWC activations (oneDNN helper on) it took 6-8 ms
 * forward and 23 ms backward at [1, 256, 256, 64] (2 threads, best of runs), against 3-4 ms and 12-15 ms for the
 * bare ops. The backward pass sends
 * each output gradient to the first maximum of its window (ties are not split).
 */
public class MaxPooling2D extends SpatialLayerConfig {
    private int kernel = 2;
    private int stride = 2;

    /** For JSON deserialisation; use {@link #of(int, CNN2DFormat)} or {@link Builder}. */
    public MaxPooling2D() {
    }

    private MaxPooling2D(Builder builder) {
        super(builder);
        this.kernel = builder.kernel;
        this.stride = builder.stride;
    }

    /** Pools {@code size} x {@code size} windows with stride {@code size}, activations in layout {@code format}. */
    public static MaxPooling2D of(int size, CNN2DFormat format) {
        return new Builder().kernel(size).stride(size).dataFormat(format).build();
    }

    /** Returns the window size (height and width). */
    public int getKernel() {
        return kernel;
    }

    /** Sets the window size; for JSON. */
    public void setKernel(int kernel) {
        this.kernel = Builder.positive("kernel", kernel);
    }

    /** Returns the stride (height and width). */
    public int getStride() {
        return stride;
    }

    /** Sets the stride; for JSON. */
    public void setStride(int stride) {
        this.stride = Builder.positive("stride", stride);
    }

    /** Output size along one axis, or a clear error when the input is smaller than the window. */
    long outputSize(long in, String axis) {
        if (in < kernel) {
            throw new IllegalArgumentException("MaxPooling2D layer '" + getLayerName() + "': input " + axis + " " + in
                    + " is smaller than the pooling window " + kernel + "; use a larger image");
        }
        return (in - kernel) / stride + 1;
    }

    @Override
    protected MaxPooling2DLayer createLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new MaxPooling2DLayer(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional c = convolutionalInput(inputType);
        return InputType.convolutional(outputSize(c.getHeight(), "height"), outputSize(c.getWidth(), "width"),
                c.getChannels(), getDataFormat());
    }

    @Override
    public MaxPooling2D clone() {
        return (MaxPooling2D) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaxPooling2D other && super.equals(o) && kernel == other.kernel
                && stride == other.stride;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + kernel) + stride;
    }

    @Override
    public String toString() {
        return "MaxPooling2D(name=" + getLayerName() + ", kernel=" + kernel + ", stride=" + stride + ", dataFormat="
                + getDataFormat() + ")";
    }

    /** Builder for {@link MaxPooling2D}. */
    public static class Builder extends SpatialLayerConfig.Builder<Builder> {
        private int kernel = 2;
        private int stride = 2;

        /** Window height and width, >= 1; default 2. */
        public Builder kernel(int kernel) {
            this.kernel = positive("kernel", kernel);
            return this;
        }

        /** Step between windows along height and width, >= 1; default 2. */
        public Builder stride(int stride) {
            this.stride = positive("stride", stride);
            return this;
        }

        static int positive(String what, int v) {
            if (v < 1) {
                throw new IllegalArgumentException("max pooling " + what + " must be >= 1, found " + v);
            }
            return v;
        }

        @Override
        @SuppressWarnings("unchecked")
        public MaxPooling2D build() {
            return new MaxPooling2D(this);
        }
    }
}
