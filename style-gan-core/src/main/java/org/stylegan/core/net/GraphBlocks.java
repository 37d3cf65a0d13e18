package org.stylegan.core.net;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.nd4j.linalg.api.buffer.DataType;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.stylegan.core.nn.InstanceNormalization;
import org.stylegan.core.nn.LayoutPermute2D;
import org.stylegan.core.nn.NearestUpsampling2D;
import org.stylegan.core.nn.NhwcConvolution2D;
import org.stylegan.core.nn.ReflectionPadding2D;
import org.stylegan.core.nn.ResidualAdd;
import org.stylegan.core.nn.UpsampleConvolution2D;

/** Small graph-building steps shared by the networks; each returns the name of its last vertex. */
final class GraphBlocks {

    /** Network precisions the builders accept: FLOAT (the fast path) and DOUBLE (gradient checks). */
    static DataType floatOrDouble(DataType v) {
        if (v != DataType.FLOAT && v != DataType.DOUBLE) {
            throw new IllegalArgumentException("dataType must be FLOAT or DOUBLE, found " + v);
        }
        return v;
    }
    /**
     * The number of layers with parameters (convolutions and normalizations): what a saved network and a config
     * must agree on. Layout permutations, padding and activation-only layers do not count, so saved NCHW networks
     * and new NHWC ones of the same config compare equal.
     */
    static long architectureVertexCount(org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf) {
        return conf.getVertices().values().stream()
                .filter(v -> v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv
                        && lv.getLayerConf().getLayer().initializer().numParams(lv.getLayerConf().getLayer()) > 0)
                .count();
    }

    private final GraphBuilder b;
    private final CNN2DFormat format;

    /** Blocks over NCHW activations with DL4J's convolution layers (the layout of format-1 models). */
    GraphBlocks(GraphBuilder b) {
        this(b, CNN2DFormat.NCHW);
    }

    /**
     * Blocks over {@code format} activations. NHWC uses this library's {@link NhwcConvolution2D} (oneDNN's NHWC
     * kernels with no layout reorders), NHWC padding and instance norm; it supports instance or no normalization.
     */
    GraphBlocks(GraphBuilder b, CNN2DFormat format) {
        this.b = b;
        this.format = format;
    }

    /**
     * The vertex to build on after the NCHW network input {@code input}: in NHWC networks a permutation to NHWC
     * (named {@code input + "_nhwc"}), else the input itself.
     */
    String fromInput(String input) {
        if (format != CNN2DFormat.NHWC) {
            return input;
        }
        b.addLayer(input + "_nhwc", LayoutPermute2D.toNhwc(), input);
        return input + "_nhwc";
    }

    /** Whether the NHWC blocks can build a network with this normalization (batch norm stays NCHW). */
    static boolean nhwcSupports(Normalization norm) {
        return norm == Normalization.INSTANCE || norm == Normalization.NONE;
    }

    /**
     * Adds [pad] conv [norm] [activation]. With normalization the activation is fused into the norm layer
     * (instance norm) or the batch-norm layer; without, into the conv.
     *
     * @param padding   REFLECTION adds a padding layer of {@code pad}; ZERO pads inside the conv
     * @param pad       padding per side
     */
    String conv(String in, String name, int cin, int cout, int k, int stride, Padding padding, int pad,
                Normalization norm, IActivation act) {
        String src = in;
        int convPad = pad;
        if (padding == Padding.REFLECTION && pad > 0) {
            b.addLayer(name + "_pad", ReflectionPadding2D.of(pad, format), src);
            src = name + "_pad";
            convPad = 0;
        }
        IActivation convAct = norm == Normalization.NONE ? act : Activation.IDENTITY.getActivationFunction();
        if (format == CNN2DFormat.NHWC) {
            b.addLayer(name, new NhwcConvolution2D.Builder(k).stride(stride).padding(convPad).nIn(cin).nOut(cout)
                    .activation(convAct).build(), src);
        } else {
            b.addLayer(name, new ConvolutionLayer.Builder(k, k).stride(stride, stride).padding(convPad, convPad)
                    .convolutionMode(ConvolutionMode.Truncate).nIn(cin).nOut(cout).activation(convAct).build(), src);
        }
        return normalize(name, name, cout, norm, act);
    }


    /**
     * Adds x2 nearest upsampling, padding 1, a 3x3 conv, [norm] [activation]: in NHWC networks one
     * {@link UpsampleConvolution2D} (the same function without building the upsampled image), else upsampling
     * and {@link #conv}. The upsampling layer of NCHW networks is named {@code name + "_resize"}.
     */
    String upConv(String in, String name, int cin, int cout, Padding padding, Normalization norm, IActivation act) {
        if (format == CNN2DFormat.NHWC) {
            IActivation convAct = norm == Normalization.NONE ? act : Activation.IDENTITY.getActivationFunction();
            b.addLayer(name, new UpsampleConvolution2D.Builder().reflect(padding == Padding.REFLECTION).nIn(cin)
                    .nOut(cout).activation(convAct).build(), in);
            return normalize(name, name, cout, norm, act);
        }
        b.addLayer(name + "_resize", NearestUpsampling2D.of(2, format), in);
        return conv(name + "_resize", name, cin, cout, 3, 1, padding, 1, norm, act);
    }

    /** Adds a 4x4 stride-2 transposed conv with padding 1 (exact x2), then [norm] [activation]. */
    String deconv(String in, String name, int cin, int cout, Normalization norm, IActivation act) {
        if (format != CNN2DFormat.NCHW) {
            throw new IllegalStateException("transposed convolutions are built for NCHW networks only");
        }
        IActivation convAct = norm == Normalization.NONE ? act : Activation.IDENTITY.getActivationFunction();
        b.addLayer(name, new Deconvolution2D.Builder(4, 4).stride(2, 2).padding(1, 1)
                .convolutionMode(ConvolutionMode.Truncate).nIn(cin).nOut(cout).activation(convAct).build(), in);
        return normalize(name, name, cout, norm, act);
    }

    /** Adds the normalization (if any) with the fused activation; returns the output vertex. */
    String normalize(String in, String name, int channels, Normalization norm, IActivation act) {
        switch (norm) {
            case INSTANCE -> {
                b.addLayer(name + "_in", new InstanceNormalization.Builder().channels(channels).activation(act)
                        .dataFormat(format).build(), in);
                return name + "_in";
            }
            case BATCH -> {
                if (format != CNN2DFormat.NCHW) {
                    throw new IllegalStateException("batch normalization is built for NCHW networks only");
                }
                b.addLayer(name + "_bn", new BatchNormalization.Builder().nIn(channels).nOut(channels)
                        .activation(act).build(), in);
                return name + "_bn";
            }
            case NONE -> {
                return in;
            }
            default -> throw new IllegalStateException("unknown normalization " + norm);
        }
    }

    /** Adds a + b as vertex {@code name}: this library's one-pass {@link ResidualAdd} in NHWC networks. */
    String add(String name, String a, String b2) {
        b.addVertex(name, format == CNN2DFormat.NHWC ? new ResidualAdd()
                : new org.deeplearning4j.nn.conf.graph.ElementWiseVertex(
                        org.deeplearning4j.nn.conf.graph.ElementWiseVertex.Op.Add), a, b2);
        return name;
    }

    /** Adds a standalone activation layer. */
    String activation(String in, String name, IActivation act) {
        b.addLayer(name, new ActivationLayer.Builder().activation(act).build(), in);
        return name;
    }
}
