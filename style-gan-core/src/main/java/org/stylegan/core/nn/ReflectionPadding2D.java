package org.stylegan.core.nn;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Reflection padding of NCHW or NHWC activations, like PyTorch's {@code ReflectionPad2d}: the border is mirrored
 * without repeating the edge pixel ({@code [a b c d]} padded by 2 gives {@code [c b a b c d c b]}). Each padding must
 * be smaller than the padded dimension, checked at call time.
 */
public class ReflectionPadding2D extends SpatialLayerConfig {
    private int[] padding = {0, 0, 0, 0};

    /** For JSON deserialisation; use {@link #of(int)} or {@link #of(int, int, int, int)}. */
    public ReflectionPadding2D() {
    }

    private ReflectionPadding2D(Builder builder) {
        super(builder);
        this.padding = builder.padding.clone();
    }

    /** Pads every side by {@code pad}. */
    public static ReflectionPadding2D of(int pad) {
        return of(pad, pad, pad, pad);
    }

    /** Pads every side by {@code pad}, activations in layout {@code format}. */
    public static ReflectionPadding2D of(int pad, CNN2DFormat format) {
        return new Builder().padding(pad, pad, pad, pad).dataFormat(format).build();
    }

    /** Pads top, bottom, left and right separately. */
    public static ReflectionPadding2D of(int top, int bottom, int left, int right) {
        return new Builder().padding(top, bottom, left, right).build();
    }

    /** Returns a copy of the padding as [top, bottom, left, right]. */
    public int[] getPadding() {
        return padding.clone();
    }

    /** Sets the padding [top, bottom, left, right]; for JSON. */
    public void setPadding(int[] padding) {
        this.padding = Builder.validate(padding);
    }

    @Override
    protected ReflectionPadding2DLayer createLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new ReflectionPadding2DLayer(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional c = convolutionalInput(inputType);
        return InputType.convolutional(c.getHeight() + padding[0] + padding[1],
                c.getWidth() + padding[2] + padding[3], c.getChannels(), getDataFormat());
    }

    @Override
    public ReflectionPadding2D clone() {
        ReflectionPadding2D c = (ReflectionPadding2D) super.clone();
        c.padding = padding.clone();
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReflectionPadding2D other && super.equals(o) && Arrays.equals(padding, other.padding);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Arrays.hashCode(padding);
    }

    @Override
    public String toString() {
        return "ReflectionPadding2D(name=" + getLayerName() + ", padding=" + Arrays.toString(padding)
                + ", dataFormat=" + getDataFormat() + ")";
    }

    /** Builder for {@link ReflectionPadding2D}. */
    public static class Builder extends SpatialLayerConfig.Builder<Builder> {
        private int[] padding = {0, 0, 0, 0};

        /** Padding [top, bottom, left, right], each >= 0; default all 0. */
        public Builder padding(int top, int bottom, int left, int right) {
            this.padding = validate(new int[] {top, bottom, left, right});
            return this;
        }

        static int[] validate(int[] p) {
            if (p == null || p.length != 4) {
                throw new IllegalArgumentException("padding must have 4 values [top, bottom, left, right], found "
                        + Arrays.toString(p));
            }
            for (int v : p) {
                if (v < 0) {
                    throw new IllegalArgumentException("padding must be >= 0, found " + Arrays.toString(p));
                }
            }
            return p.clone();
        }

        @Override
        @SuppressWarnings("unchecked")
        public ReflectionPadding2D build() {
            return new ReflectionPadding2D(this);
        }
    }
}
