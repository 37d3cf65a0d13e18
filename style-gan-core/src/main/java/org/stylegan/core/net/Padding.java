package org.stylegan.core.net;

/** How convolutions keep spatial size at the borders. */
public enum Padding {
    /** Mirror the border ({@link org.stylegan.core.nn.ReflectionPadding2D}); fewer edge artifacts. */
    REFLECTION,
    /** Zero padding inside the convolution; slightly faster. */
    ZERO
}
