package org.stylegan.core.net;

/** How the generator doubles spatial size on the way back up. */
public enum Upsampling {
    /** Nearest-neighbour x2 then a 3x3 convolution ("resize-convolution"; no checkerboard artifacts). */
    NEAREST_CONV,
    /** A 4x4 stride-2 transposed convolution with padding 1. */
    TRANSPOSED
}
