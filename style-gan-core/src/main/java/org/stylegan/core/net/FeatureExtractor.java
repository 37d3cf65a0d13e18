package org.stylegan.core.net;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;
import org.stylegan.core.nn.LayoutPermute2D;
import org.stylegan.core.nn.MaxPooling2D;
import org.stylegan.core.nn.NhwcConvolution2D;
import org.stylegan.core.internal.TrainableGraph;
import org.stylegan.core.internal.FastPath;

/**
 * A fixed feature network for perceptual (content and Gram style) losses; its weights never change.
 *
 * <p>{@link #random(long)} builds a network shaped like VGG16 blocks 1-2 (3x3 convs 3-64-64, 2x2 max pool,
 * 64-128-128, ReLU after each conv) with Kaiming-normal weights (std sqrt(2 / fan_in), zero biases) from the seed:
 * style taps relu1_2 and relu2_2, content tap relu2_2, as the reference. The builder can add block 3's first conv
 * (relu3_1, 256 filters) and choose other taps. Inputs and tap activations are NCHW; inside, the network runs NHWC
 * ({@link NhwcConvolution2D}, {@link MaxPooling2D}), which spares oneDNN a layout reorder around every conv.
 *
 * <p>{@link #forward} keeps the activations for {@link #backward}, which returns dL/d(image) given dL/d(tap) for
 * any subset of taps. Not thread-safe.
 */
public final class FeatureExtractor {
    /** Default style taps of the random network (and of the trainer): relu1_2, relu2_2, relu3_1. */
    public static final List<String> DEFAULT_STYLE_TAPS = List.of("relu1_2", "relu2_2", "relu3_1");
    /** Default content tap of the random network (and of the trainer): relu2_2. */
    public static final String DEFAULT_CONTENT_TAP = "relu2_2";

    /** Taps of the random VGG-shaped network, in network order. */
    public static final List<String> RANDOM_TAPS = List.of("relu1_1", "relu1_2", "relu2_1", "relu2_2", "relu3_1");

    private static final String INPUT = "image";

    private final TrainableGraph net;
    private final List<String> taps;
    private final List<String> styleTaps;
    private final String contentTap;
    private final int pools;
    private final double inputScale;
    private final double[] inputOffset; // per RGB channel, or null
    private final Path modelFile; // the zoo model's file, or null for the random network
    private Features last;
    private INDArray[] callerGradients = new INDArray[0]; // the caller's arrays the last backward() fed in

    private FeatureExtractor(TrainableGraph net, List<String> taps, List<String> styleTaps, String contentTap,
                             int pools, double inputScale, double[] inputOffset, Path modelFile) {
        this.net = net;
        this.taps = List.copyOf(taps);
        this.styleTaps = List.copyOf(styleTaps);
        this.contentTap = contentTap;
        this.pools = pools;
        this.inputScale = inputScale;
        this.inputOffset = inputOffset == null ? null : inputOffset.clone();
        this.modelFile = modelFile == null ? null : modelFile.toAbsolutePath();
    }

    /** ImageNet RGB means on a 0-255 scale, as DL4J's {@code VGG16ImagePreProcessor} subtracts them. */
    static final double[] IMAGENET_MEANS = {123.68, 116.779, 103.939};

    /**
     * Loads a pretrained VGG16/VGG19 (or any single-input CNN) saved by DL4J's {@code ModelSerializer}, e.g. the
     * file DL4J's VGG16 zoo model downloads, and taps it at the named layers.
     *
     * <p>Images in [-1, 1] are mapped to the zoo convention before the network: RGB on a 0-255 scale minus the
     * ImageNet means ({@code VGG16ImagePreProcessor}); {@link #backward} includes that scaling. Only the layers up
     * to the deepest tap are kept. Keras {@code .h5} files need DL4J's model import module and are not supported.
     *
     * @param file         the model zip
     * @param contentLayer layer whose activation is the content tap
     * @param styleLayers  layers whose activations are the style taps (at least one)
     * @throws IllegalArgumentException when the file is missing, unreadable, or lacks a named layer
     */
    public static FeatureExtractor fromZooModel(Path file, String contentLayer, String... styleLayers) {
        return ZooModels.load(file, contentLayer, styleLayers, IMAGENET_MEANS);
    }

    /** Creates an extractor around a prepared graph; used by the zoo loader. */
    static FeatureExtractor of(TrainableGraph net, List<String> taps, List<String> styleTaps, String contentTap,
                               int pools, double inputScale, double[] inputOffset, Path modelFile) {
        return new FeatureExtractor(net, taps, styleTaps, contentTap, pools, inputScale, inputOffset, modelFile);
    }

    /**
     * Returns the benchmark peer's random feature network: style relu1_2 + relu2_2, content relu2_2 (the default
     * taps add relu3_1 to the style taps).
     */
    public static FeatureExtractor random(long seed) {
        return builder().seed(seed).styleTaps("relu1_2", "relu2_2").build();
    }

    /** Returns a builder for a random VGG-shaped network. */
    public static Builder builder() {
        FastPath.ensureEnabled();
        return new Builder();
    }

    /**
     * The training plumbing behind this network. Internal: used by tests and benchmarks of this library; not API,
     * it may change in any release.
     */
    public TrainableGraph engine() {
        return net;
    }

    /**
     * Runs the network on NCHW images in [-1, 1] and returns the activations at every tap. The returned
     * activations stay valid after later calls; only the latest can be back-propagated.
     */
    public Features forward(INDArray x) {
        check(x);
        INDArray[] outs = net.forwardAll(true, preprocess(x));
        Map<String, INDArray> byTap = new LinkedHashMap<>();
        for (int i = 0; i < taps.size(); i++) {
            byTap.put(taps.get(i), outs[i]);
        }
        last = new Features(byTap, styleTaps, contentTap, this, net.forwardGeneration());
        return last;
    }

    /**
     * Like {@link #forward} but for images that need no gradient (content or style targets): uses DL4J
     * inference workspaces, which is faster, and the result cannot be passed to {@link #backward}.
     */
    public Features extract(INDArray x) {
        check(x);
        INDArray[] outs = net.outputAll(preprocess(x));
        Map<String, INDArray> byTap = new LinkedHashMap<>();
        for (int i = 0; i < taps.size(); i++) {
            byTap.put(taps.get(i), outs[i]);
        }
        last = null; // outputAll dropped the training activations
        return new Features(byTap, styleTaps, contentTap, this, -1);
    }

    /**
     * The content tap's activation of images that need no gradient (a content target), from {@link #extract}. The
     * other taps' arrays are freed now: they are copies the caller never sees, and left to the garbage collector
     * they held ~100 MB per batch-4 step at 256 px until the next collection (the batch-4 GAN iteration's peak
     * resident set depended on when that came). The returned array is the caller's to close.
     */
    public INDArray extractContent(INDArray x) {
        Features all = extract(x);
        INDArray content = all.content();
        java.util.Set<INDArray> keep = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        keep.add(content);
        for (INDArray a : all.all().values()) {
            TrainableGraph.closeOnce(a, keep);
        }
        return content;
    }

    /**
     * Back-propagates dL/d(tap) (any subset of taps; absent taps count as zero) through the forward pass that
     * produced {@code features}, returning dL/d(image). Weights are never changed. When a tap is both a style and
     * the content tap, pass the sum of both gradients.
     *
     * @throws IllegalStateException    when {@code features} is not this extractor's latest forward pass
     * @throws IllegalArgumentException for unknown taps or wrong gradient shapes
     */
    public INDArray backward(Features features, Map<String, INDArray> gradsPerTap) {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(gradsPerTap, "gradsPerTap");
        if (features.owner != this || features != last || features.generation != net.forwardGeneration()) {
            throw new IllegalStateException("backward() needs the Features of this extractor's latest forward() "
                    + "(not extract(), and no forward() or extract() since); run forward() on the image again");
        }
        for (String k : gradsPerTap.keySet()) {
            if (!taps.contains(k)) {
                throw new IllegalArgumentException("no tap named '" + k + "'; available: " + taps);
            }
        }
        INDArray[] eps = new INDArray[taps.size()];
        for (int i = 0; i < taps.size(); i++) {
            INDArray a = features.get(taps.get(i));
            INDArray g = gradsPerTap.get(taps.get(i));
            if (g == null) {
                eps[i] = Nd4j0.zerosLike(a);
            } else {
                if (!Arrays.equals(g.shape(), a.shape())) {
                    throw new IllegalArgumentException("gradient for tap '" + taps.get(i) + "' has shape "
                            + Arrays.toString(g.shape()) + ", the activation has " + Arrays.toString(a.shape()));
                }
                eps[i] = g.dataType() == a.dataType() ? g : g.castTo(a.dataType());
            }
        }
        callerGradients = gradsPerTap.values().toArray(new INDArray[0]);
        INDArray dx = net.inputGradient(eps); // the extractor's weights never train
        return inputScale == 1.0 ? dx : dx.muli(inputScale);
    }

    /**
     * Frees the native memory of the last {@link #forward} pass's inner activations and epsilons now (see
     * {@link TrainableGraph#releaseActivations}); the tap activations of returned {@link Features} stay valid
     * but can no longer be back-propagated, and the gradients passed to {@link #backward} stay the caller's. For
     * training loops that are done with a pass.
     */
    public void releaseActivations() {
        last = null;
        // The graph holds the caller's tap gradients as its output epsilons; they are not ours to close.
        net.releaseActivations(callerGradients);
        callerGradients = new INDArray[0];
    }

    private INDArray preprocess(INDArray x) {
        if (inputScale == 1.0 && inputOffset == null) {
            return x;
        }
        INDArray y = x.castTo(net.dataType()).mul(inputScale);
        if (inputOffset != null) {
            INDArray off = org.nd4j.linalg.factory.Nd4j.createFromArray(inputOffset).castTo(y.dataType());
            org.nd4j.linalg.factory.Broadcast.add(y, off, y, 1);
        }
        return y;
    }

    /** Returns the tap names, in network order. */
    public List<String> taps() {
        return taps;
    }

    /** Returns the style taps. */
    public List<String> styleTaps() {
        return styleTaps;
    }

    /** Returns the content tap. */
    public String contentTap() {
        return contentTap;
    }

    /**
     * Returns the absolute path of the model file this network was loaded from ({@link #fromZooModel}), or null
     * for the random network (which its seed and taps describe). Checkpoints record it so a resumed run uses the
     * same loss network.
     */
    public Path modelFile() {
        return modelFile;
    }

    /** Returns the number of (fixed) parameters. */
    public long numParams() {
        return net.numParams();
    }

    /** Returns the underlying graph (for inspection; do not train it). */
    public org.deeplearning4j.nn.graph.ComputationGraph graph() {
        return net.graph();
    }

    private void check(INDArray x) {
        Objects.requireNonNull(x, "image");
        if (x.rank() != 4 || x.size(1) != 3) {
            throw new IllegalArgumentException("feature extractor input must be NCHW [batch, 3, height, width], found "
                    + Arrays.toString(x.shape()));
        }
        int min = 1 << pools;
        if (x.size(2) < min || x.size(3) < min) {
            throw new IllegalArgumentException("image " + x.size(2) + "x" + x.size(3) + " is too small: the feature"
                    + " network needs height and width >= " + min);
        }
    }

    /** Tiny ND4J helpers kept local. */
    private static final class Nd4j0 {
        static INDArray zerosLike(INDArray a) {
            return org.nd4j.linalg.factory.Nd4j.zeros(a.dataType(), a.shape());
        }
    }

    /** Builder for the random VGG-shaped extractor. */
    public static final class Builder {
        private long seed = 42;
        private List<String> styleTaps = DEFAULT_STYLE_TAPS;
        private String contentTap = DEFAULT_CONTENT_TAP;
        private DataType dataType = DataType.FLOAT;

        private Builder() {
        }

        /** Weight seed; default 42. */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Style taps among {@link #RANDOM_TAPS}; default {@link #DEFAULT_STYLE_TAPS}. */
        public Builder styleTaps(String... names) {
            if (names == null || names.length == 0) {
                throw new IllegalArgumentException("styleTaps must name at least one tap of " + RANDOM_TAPS);
            }
            styleTaps = List.of(names);
            return this;
        }

        /** Content tap among {@link #RANDOM_TAPS}; default {@link #DEFAULT_CONTENT_TAP}. */
        public Builder contentTap(String name) {
            contentTap = Objects.requireNonNull(name, "contentTap");
            return this;
        }

        /** Precision; default FLOAT. DOUBLE is for gradient checks. */
        public Builder dataType(DataType v) {
            dataType = GraphBlocks.floatOrDouble(v);
            return this;
        }

        /** Validates the taps and builds the network up to the deepest one (NHWC inside). */
        public FeatureExtractor build() {
            return build(true);
        }

        /** Builds with NHWC ({@code true}, the default) or DL4J's NCHW layers inside; for tests and benchmarks. */
        FeatureExtractor build(boolean nhwc) {
            Set<String> wanted = new LinkedHashSet<>(styleTaps);
            wanted.add(contentTap);
            for (String t : wanted) {
                if (!RANDOM_TAPS.contains(t)) {
                    throw new IllegalArgumentException("unknown tap '" + t + "'; choose from " + RANDOM_TAPS);
                }
            }
            if (new LinkedHashSet<>(styleTaps).size() != styleTaps.size()) {
                throw new IllegalArgumentException("styleTaps must not repeat a tap, found " + styleTaps);
            }
            int deepest = 0;
            for (String t : wanted) {
                deepest = Math.max(deepest, RANDOM_TAPS.indexOf(t));
            }
            List<String> taps = new ArrayList<>();
            for (String t : RANDOM_TAPS) {
                if (wanted.contains(t)) {
                    taps.add(t);
                }
            }
            ComputationGraphConfiguration conf = configuration(seed, dataType, deepest, taps, nhwc);
            int pools = deepest >= 4 ? 2 : deepest >= 2 ? 1 : 0;
            return new FeatureExtractor(new TrainableGraph(conf, null, null), taps, styleTaps, contentTap, pools,
                    1.0, null, null);
        }

        /**
         * The graph up to conv {@code deepest} (index into {@link #RANDOM_TAPS}) with {@code taps} as outputs, NCHW
         * in and out. With {@code nhwc} it runs NHWC inside (one permute after the input, one per tap), so oneDNN
         * never reorders activations; without, it is built from DL4J's NCHW layers. The same seed gives the same
         * weights, so both compute the same function.
         */
        static ComputationGraphConfiguration configuration(long seed, DataType dt, int deepest, List<String> taps,
                                                           boolean nhwc) {
            GraphBuilder b = new NeuralNetConfiguration.Builder()
                    .seed(seed).dataType(dt).updater(new NoOp())
                    .weightInit(WeightInit.RELU).biasInit(0.0)
                    .graphBuilder()
                    .addInputs(INPUT)
                    .setInputTypes(InputType.convolutional(64, 64, 3));
            // name, in channels, out channels, pool before
            Object[][] convs = {
                    {"conv1_1", 3, 64, false}, {"conv1_2", 64, 64, false},
                    {"conv2_1", 64, 128, true}, {"conv2_2", 128, 128, false},
                    {"conv3_1", 128, 256, true}};
            GraphBlocks blocks = new GraphBlocks(b, nhwc ? CNN2DFormat.NHWC : CNN2DFormat.NCHW);
            String prev = blocks.fromInput(INPUT);
            for (int i = 0; i <= deepest; i++) {
                String name = (String) convs[i][0];
                if ((Boolean) convs[i][3]) {
                    String pool = "pool" + name.charAt(4);
                    b.addLayer(pool, nhwc ? MaxPooling2D.of(2, CNN2DFormat.NHWC)
                            : new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                                    .stride(2, 2).convolutionMode(ConvolutionMode.Truncate).build(), prev);
                    prev = pool;
                }
                prev = blocks.conv(prev, name, (Integer) convs[i][1], (Integer) convs[i][2], 3, 1, Padding.ZERO, 1,
                        Normalization.NONE, Activation.RELU.getActivationFunction());
            }
            // Each tap is its own output vertex, even when its conv also feeds deeper layers: in NHWC the permute
            // back to NCHW, in NCHW an identity layer.
            for (String t : taps) {
                String conv = "conv" + t.substring(4);
                b.addLayer(t, nhwc ? LayoutPermute2D.toNchw()
                        : new ActivationLayer.Builder().activation(Activation.IDENTITY).build(), conv);
            }
            b.setOutputs(taps.toArray(new String[0]));
            return b.build();
        }
    }
}
