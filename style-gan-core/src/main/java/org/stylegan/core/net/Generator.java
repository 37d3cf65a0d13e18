package org.stylegan.core.net;

import java.util.Arrays;
import java.util.Objects;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.stylegan.core.nn.LayoutPermute2D;
import org.stylegan.core.internal.TrainableGraph;
import org.stylegan.core.internal.FastPath;

/**
 * The image transformation network: maps NCHW images in [-1, 1] to images of the same size in [-1, 1].
 *
 * <p>Architecture: {@link GeneratorConfig}. Height and width must be divisible by {@code 2^downsamplings} (4 by
 * default); other sizes fail at call time with a hint to pad ({@code ImageOps.padToMultiple}) or resize.
 * Convolution weights are He-normal initialised from the config's seed, biases 0, norm scales 1.
 * Training goes through the {@link TrainableGraph} methods. Not thread-safe.
 */
public final class Generator extends Network {
    /** Name of the graph input. */
    public static final String INPUT = "image";
    /** Name of the graph output. */
    public static final String OUTPUT = "out";

    private final GeneratorConfig config;

    private Generator(GeneratorConfig config, ComputationGraphConfiguration conf, INDArray params, INDArray updater) {
        super(new TrainableGraph(conf, params, updater, inputs -> checkInput(config, inputs[0])));
        this.config = config;
    }

    /** Returns a builder preset to the reference architecture ({@link GeneratorConfig#defaults()}). */
    public static Builder builder() {
        FastPath.ensureEnabled();
        return new Builder();
    }

    /** Builds a freshly initialised generator with the default optimizer and float32. */
    public static Generator create(GeneratorConfig config) {
        return new Generator(config, graphConfiguration(config, defaultUpdater(), DataType.FLOAT), null, null);
    }

    /**
     * Rebuilds a generator around a saved graph (e.g. from {@code ModelSerializer} or a model archive), copying its
     * parameters, updater state and iteration count.
     *
     * @throws IllegalArgumentException when the graph's parameter count does not match the config
     */
    public static Generator restore(GeneratorConfig config, ComputationGraph saved) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(saved, "saved graph");
        Generator g = new Generator(config, saved.getConfiguration(), saved.params(), TrainableGraph.updaterState(saved));
        long expected = GraphBlocks.architectureVertexCount(
                graphConfiguration(config, defaultUpdater(), DataType.FLOAT));
        long found = GraphBlocks.architectureVertexCount(saved.getConfiguration());
        if (found != expected) {
            throw new IllegalArgumentException("saved graph has " + found
                    + " vertices, the generator config describes " + expected + "; wrong config for this model");
        }
        g.engine().withCounters(saved.getConfiguration());
        return g;
    }

    /** Returns the immutable architecture config. */
    @Override
    public GeneratorConfig config() {
        return config;
    }

    static IUpdater defaultUpdater() {
        return AdamDefaults.adam(AdamDefaults.GENERATOR_LEARNING_RATE);
    }

    private static void checkInput(GeneratorConfig config, INDArray x) {
        if (x.rank() != 4 || x.size(1) != 3) {
            throw new IllegalArgumentException("generator input must be NCHW [batch, 3, height, width], found "
                    + Arrays.toString(x.shape()));
        }
        int m = config.sizeMultiple();
        long h = x.size(2);
        long w = x.size(3);
        if (h % m != 0) {
            throw new IllegalArgumentException("height " + h + " is not divisible by " + m
                    + "; pad the image (ImageOps.padToMultiple) or resize");
        }
        if (w % m != 0) {
            throw new IllegalArgumentException("width " + w + " is not divisible by " + m
                    + "; pad the image (ImageOps.padToMultiple) or resize");
        }
        int min = config.minimumSize();
        if (h < min || w < min) {
            throw new IllegalArgumentException("image " + h + "x" + w + " is too small: the generator needs height"
                    + " and width >= " + min + "; pad or resize the image");
        }
    }

    /** Whether new networks for this config run NHWC inside (transposed convolutions and batch norm do not). */
    static boolean nhwc(GeneratorConfig c) {
        return c.upsampling() == Upsampling.NEAREST_CONV && GraphBlocks.nhwcSupports(c.normalization());
    }

    /** Builds the DL4J configuration for a generator config. */
    static ComputationGraphConfiguration graphConfiguration(GeneratorConfig c, IUpdater updater, DataType dataType) {
        return graphConfiguration(c, updater, dataType, nhwc(c));
    }

    /** Builds the configuration in a given layout (NCHW is what format-1 models hold); for tests. */
    static ComputationGraphConfiguration graphConfiguration(GeneratorConfig c, IUpdater updater, DataType dataType,
                                                            boolean nhwc) {
        IActivation relu = Activation.RELU.getActivationFunction();
        IActivation identity = Activation.IDENTITY.getActivationFunction();
        GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(c.seed())
                .dataType(dataType)
                .updater(updater)
                .weightInit(WeightInit.RELU)
                .biasInit(0.0)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(256, 256, 3));
        // NHWC inside whenever the config allows it (oneDNN's kernels run without layout reorders), with one
        // permutation at each end so that the network's interface stays NCHW.
        CNN2DFormat format = nhwc ? CNN2DFormat.NHWC : CNN2DFormat.NCHW;
        GraphBlocks blocks = new GraphBlocks(b, format);
        Padding p = c.padding();
        Normalization n = c.normalization();
        int f = c.baseFilters();
        String x = blocks.conv(blocks.fromInput(INPUT), "c0", 3, f, 9, 1, p, 4, n, relu);
        for (int i = 1; i <= c.downsamplings(); i++) {
            x = blocks.conv(x, "down" + i, f, 2 * f, 3, 2, p, 1, n, relu);
            f *= 2;
        }
        for (int r = 1; r <= c.residualBlocks(); r++) {
            String in = x;
            String y = blocks.conv(in, "res" + r + "a", f, f, 3, 1, p, 1, n, relu);
            y = blocks.conv(y, "res" + r + "b", f, f, 3, 1, p, 1, n, identity);
            x = blocks.add("res" + r, in, y);
        }
        for (int i = 1; i <= c.downsamplings(); i++) {
            if (c.upsampling() == Upsampling.NEAREST_CONV) {
                x = blocks.upConv(x, "up" + i, f, f / 2, p, n, relu);
            } else {
                x = blocks.deconv(x, "up" + i, f, f / 2, n, relu);
            }
            f /= 2;
        }
        IActivation tanh = Activation.TANH.getActivationFunction();
        if (nhwc) {
            x = blocks.conv(x, OUTPUT + "_nhwc", f, 3, 9, 1, p, 4, Normalization.NONE, tanh);
            b.addLayer(OUTPUT, LayoutPermute2D.toNchw(), x);
        } else {
            blocks.conv(x, OUTPUT, f, 3, 9, 1, p, 4, Normalization.NONE, tanh);
        }
        b.setOutputs(OUTPUT);
        return b.build();
    }

    /** Fluent builder; every setter's default is the reference network. */
    public static final class Builder {
        private final GeneratorConfig d = GeneratorConfig.defaults();
        private int baseFilters = d.baseFilters();
        private int downsamplings = d.downsamplings();
        private int residualBlocks = d.residualBlocks();
        private Normalization normalization = d.normalization();
        private Padding padding = d.padding();
        private Upsampling upsampling = d.upsampling();
        private long seed = d.seed();
        private IUpdater updater = defaultUpdater();
        private DataType dataType = DataType.FLOAT;

        private Builder() {
        }

        /** Starts from an existing config. */
        public Builder config(GeneratorConfig c) {
            Objects.requireNonNull(c, "config");
            baseFilters = c.baseFilters();
            downsamplings = c.downsamplings();
            residualBlocks = c.residualBlocks();
            normalization = c.normalization();
            padding = c.padding();
            upsampling = c.upsampling();
            seed = c.seed();
            return this;
        }

        /** Filters of the first conv; default 32. */
        public Builder baseFilters(int v) {
            baseFilters = v;
            return this;
        }

        /** Stride-2 convs and matching upsampling steps; default 2. */
        public Builder downsamplings(int v) {
            downsamplings = v;
            return this;
        }

        /** Residual blocks; default 5. */
        public Builder residualBlocks(int v) {
            residualBlocks = v;
            return this;
        }

        /** Normalization after inner convs; default INSTANCE. */
        public Builder normalization(Normalization v) {
            normalization = v;
            return this;
        }

        /** Border handling; default REFLECTION. */
        public Builder padding(Padding v) {
            padding = v;
            return this;
        }

        /** Upsampling method; default NEAREST_CONV. */
        public Builder upsampling(Upsampling v) {
            upsampling = v;
            return this;
        }

        /** Weight-initialisation seed; default 42. */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Optimizer used by {@link TrainableGraph#applyGradient}; default Adam(1e-3, 0.5, 0.999) ({@link AdamDefaults}). */
        public Builder updater(IUpdater v) {
            updater = Objects.requireNonNull(v, "updater");
            return this;
        }

        /** Network precision; default FLOAT (the fast path). DOUBLE is for gradient checks. */
        public Builder dataType(DataType v) {
            dataType = GraphBlocks.floatOrDouble(v);
            return this;
        }

        /** Validates and builds a freshly initialised generator. */
        public Generator build() {
            GeneratorConfig c = new GeneratorConfig(baseFilters, downsamplings, residualBlocks, normalization,
                    padding, upsampling, seed);
            return new Generator(c, graphConfiguration(c, updater.clone(), dataType), null, null);
        }
    }
}
