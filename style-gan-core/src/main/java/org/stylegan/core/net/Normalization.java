package org.stylegan.core.net;

/** Normalization after a convolution. */
public enum Normalization {
    /** Instance normalization with learned per-channel scale and shift (PyTorch {@code InstanceNorm2d(affine=True)}). */
    INSTANCE,
    /** DL4J batch normalization (running statistics at inference). */
    BATCH,
    /** No normalization. */
    NONE
}
