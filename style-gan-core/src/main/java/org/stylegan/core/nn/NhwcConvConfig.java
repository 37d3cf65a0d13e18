package org.stylegan.core.nn;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;

/**
 * What this package's NHWC convolution configurations ({@link NhwcConvolution2D}, {@link UpsampleConvolution2D})
 * share: [kH, kW, cIn, cOut] weights and a bias ({@link NhwcConvParamInitializer}), NHWC input only, no
 * preprocessors.
 */
public abstract class NhwcConvConfig extends FeedForwardLayer {

    /** For JSON deserialisation. */
    protected NhwcConvConfig() {
    }

    /** From a layer builder. */
    protected NhwcConvConfig(FeedForwardLayer.Builder<?> builder) {
        super(builder);
    }

    /** Kernel size [height, width] of the weights. */
    public abstract int[] getKernel();

    /** Stride [height, width] (used for the weights' fan-out). */
    public abstract int[] getStride();

    @Override
    public ParamInitializer initializer() {
        return NhwcConvParamInitializer.getInstance();
    }

    /** The input type as NHWC convolutional, or a clear error naming the layer and the fix. */
    protected InputType.InputTypeConvolutional nhwcInput(InputType inputType) {
        if (!(inputType instanceof InputType.InputTypeConvolutional c) || c.getFormat() != CNN2DFormat.NHWC) {
            throw new IllegalStateException(getClass().getSimpleName() + " layer '" + getLayerName()
                    + "' needs convolutional NHWC input, found " + inputType
                    + "; put a LayoutPermute2D.toNhwc() layer in front of it");
        }
        return c;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeConvolutional c = nhwcInput(inputType);
        if (nIn <= 0 || override) {
            nIn = c.getChannels();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long perExample = outputType.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, outputType)
                .standardMemory(initializer().numParams(this), initializer().numParams(this))
                .workingMemory(0, 0, perExample, perExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }
}
