package org.stylegan.core.nn;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Converts 2D activations between NCHW ([N, C, H, W]) and NHWC ([N, H, W, C]): {@link #getDataFormat()} is the
 * target layout, the input is in the other one. Lets a graph keep an NCHW interface while running NHWC inside:
 * input (NCHW) -> {@link #toNhwc()} -> NHWC layers -> {@link #toNchw()} -> output (NCHW).
 *
 * <p>Forward writes a contiguous copy of the permuted input; backward permutes the gradient back. No parameters.
 */
public class LayoutPermute2D extends SpatialLayerConfig {

    /** For JSON deserialisation; use {@link #toNhwc()} or {@link #toNchw()}. */
    public LayoutPermute2D() {
    }

    private LayoutPermute2D(Builder builder) {
        super(builder);
    }

    /** Converts NCHW input to NHWC output. */
    public static LayoutPermute2D toNhwc() {
        return new Builder().dataFormat(CNN2DFormat.NHWC).build();
    }

    /** Converts NHWC input to NCHW output. */
    public static LayoutPermute2D toNchw() {
        return new Builder().dataFormat(CNN2DFormat.NCHW).build();
    }

    /** Returns the layout of the input: the one that is not the target. */
    @Override
    protected CNN2DFormat inputFormat() {
        return other(getDataFormat());
    }

    static CNN2DFormat other(CNN2DFormat f) {
        return f == CNN2DFormat.NCHW ? CNN2DFormat.NHWC : CNN2DFormat.NCHW;
    }

    @Override
    protected LayoutPermute2DLayer createLayer(NeuralNetConfiguration conf, DataType dataType) {
        return new LayoutPermute2DLayer(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional c = convolutionalInput(inputType);
        return InputType.convolutional(c.getHeight(), c.getWidth(), c.getChannels(), getDataFormat());
    }

    @Override
    public LayoutPermute2D clone() {
        return (LayoutPermute2D) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayoutPermute2D && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    @Override
    public String toString() {
        return "LayoutPermute2D(name=" + getLayerName() + ", " + inputFormat() + " -> " + getDataFormat() + ")";
    }

    /** Builder for {@link LayoutPermute2D}; {@code dataFormat} is the target layout (default NCHW). */
    public static class Builder extends SpatialLayerConfig.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public LayoutPermute2D build() {
            return new LayoutPermute2D(this);
        }
    }
}
