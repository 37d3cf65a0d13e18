package org.stylegan.core.nn;

/** The kernel geometry {@link NhwcConvParamInitializer} needs from a convolution's configuration. */
interface ConvKernel {
    /** Kernel size [height, width]. */
    int[] getKernel();

    /** Stride [height, width]. */
    int[] getStride();
}
