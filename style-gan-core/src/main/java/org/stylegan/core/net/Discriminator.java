package org.stylegan.core.net;

import java.util.Arrays;
import java.util.Objects;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.stylegan.core.nn.LayoutPermute2D;
import org.stylegan.core.internal.TrainableGraph;
import org.stylegan.core.internal.FastPath;

/**
 * The discriminator: maps NCHW images in [-1, 1] to real/fake logits (no sigmoid). Architecture:
 * {@link DiscriminatorConfig}. Its {@link #engine() engine} gives dL/d(image) for the generator step without
 * touching the discriminator's parameters or optimizer state. Not thread-safe.
 */
public final class Discriminator extends Network {
    /** Name of the graph input. */
    public static final String INPUT = "image";
    /** Name of the graph output (logits). */
    public static final String OUTPUT = "logits";

    private final DiscriminatorConfig config;

    private Discriminator(DiscriminatorConfig config, ComputationGraphConfiguration conf, INDArray params,
                          INDArray updater) {
        super(new TrainableGraph(conf, params, updater, inputs -> checkInput(config, inputs[0])));
        this.config = config;
    }

    /** Returns a builder preset to the reference 70x70 PatchGAN. */
    public static Builder builder() {
        FastPath.ensureEnabled();
        return new Builder();
    }

    /** Builds a freshly initialised float32 discriminator with the default Adam ({@link AdamDefaults}). */
    public static Discriminator create(DiscriminatorConfig config) {
        return builder().config(config).build();
    }

    /** Rebuilds a discriminator around a saved graph, copying parameters, updater state and iteration count. */
    public static Discriminator restore(DiscriminatorConfig config, ComputationGraph saved) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(saved, "saved graph");
        long expected = GraphBlocks.architectureVertexCount(graphConfiguration(config, new Adam(), DataType.FLOAT));
        long found = GraphBlocks.architectureVertexCount(saved.getConfiguration());
        if (found != expected) {
            throw new IllegalArgumentException("saved graph has " + found
                    + " vertices, the discriminator config describes " + expected + "; wrong config for this model");
        }
        Discriminator d = new Discriminator(config, saved.getConfiguration(), saved.params(), TrainableGraph.updaterState(saved));
        d.engine().withCounters(saved.getConfiguration());
        return d;
    }

    /** Returns the immutable architecture config. */
    @Override
    public DiscriminatorConfig config() {
        return config;
    }

    private static void checkInput(DiscriminatorConfig config, INDArray x) {
        if (x.rank() != 4 || x.size(1) != 3) {
            throw new IllegalArgumentException("discriminator input must be NCHW [batch, 3, height, width], found "
                    + Arrays.toString(x.shape()));
        }
        int min = config.minimumSize();
        if (x.size(2) < min || x.size(3) < min) {
            throw new IllegalArgumentException("image " + x.size(2) + "x" + x.size(3) + " is too small: this "
                    + "discriminator needs height and width >= " + min + "; use larger crops or fewer layers");
        }
    }

    static ComputationGraphConfiguration graphConfiguration(DiscriminatorConfig c, IUpdater updater,
                                                            DataType dataType) {
        return graphConfiguration(c, updater, dataType, GraphBlocks.nhwcSupports(c.normalization()));
    }

    /** Builds the configuration in a given layout (NCHW is what format-1 models hold); for tests. */
    static ComputationGraphConfiguration graphConfiguration(DiscriminatorConfig c, IUpdater updater,
                                                            DataType dataType, boolean nhwc) {
        IActivation lrelu = new ActivationLReLU(c.leakySlope());
        IActivation identity = new ActivationIdentity();
        GraphBuilder b = new NeuralNetConfiguration.Builder()
                .seed(c.seed())
                .dataType(dataType)
                .updater(updater)
                .weightInit(WeightInit.RELU)
                .biasInit(0.0)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(256, 256, 3));
        // NHWC inside when the normalization allows it (as the generator), permuted back before the output.
        GraphBlocks blocks = new GraphBlocks(b, nhwc ? CNN2DFormat.NHWC : CNN2DFormat.NCHW);
        Normalization n = c.normalization();
        int nf = c.baseFilters();
        String in = blocks.fromInput(INPUT);
        String x;
        int f;
        if (c.type() == DiscriminatorConfig.Type.PATCH_GAN) {
            x = blocks.conv(in, "c0", 3, nf, 4, 2, Padding.ZERO, 1, Normalization.NONE, lrelu);
            f = nf;
            for (int i = 1; i < c.layers(); i++) {
                int next = nf * Math.min(1 << i, 8);
                x = blocks.conv(x, "c" + i, f, next, 4, 2, Padding.ZERO, 1, n, lrelu);
                f = next;
            }
            int next = nf * Math.min(1 << c.layers(), 8);
            x = blocks.conv(x, "c" + c.layers(), f, next, 4, 1, Padding.ZERO, 1, n, lrelu);
            f = next;
            x = blocks.conv(x, "patch", f, 1, 4, 1, Padding.ZERO, 1, Normalization.NONE, identity);
        } else {
            x = blocks.conv(in, "stem", 3, nf, 3, 1, Padding.ZERO, 1, Normalization.NONE, lrelu);
            f = nf;
            for (int i = 1; i <= c.layers(); i++) {
                int next = nf * Math.min(1 << i, 8);
                String y = blocks.conv(x, "b" + i + "a", f, f, 3, 1, Padding.ZERO, 1, n, lrelu);
                y = blocks.conv(y, "b" + i + "b", f, next, 4, 2, Padding.ZERO, 1, n, identity);
                String s = blocks.conv(x, "b" + i + "skip", f, next, 1, 2, Padding.ZERO, 0, Normalization.NONE,
                        identity);
                blocks.add("b" + i + "add", s, y);
                x = blocks.activation("b" + i + "add", "b" + i, lrelu);
                f = next;
            }
            x = blocks.conv(x, "patch", f, 1, 3, 1, Padding.ZERO, 1, Normalization.NONE, identity);
        }
        if (nhwc) {
            b.addLayer("patch_nchw", LayoutPermute2D.toNchw(), x);
            x = "patch_nchw";
        }
        if (c.output() == DiscriminatorConfig.Output.GLOBAL) {
            b.addLayer(OUTPUT, new GlobalPoolingLayer.Builder(PoolingType.AVG).collapseDimensions(true).build(), x);
        } else {
            b.addLayer(OUTPUT, new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                    .activation(identity).build(), x);
        }
        b.setOutputs(OUTPUT);
        return b.build();
    }

    /** Fluent builder; defaults are the reference 70x70 PatchGAN. */
    public static final class Builder {
        private final DiscriminatorConfig d = DiscriminatorConfig.defaults();
        private DiscriminatorConfig.Type type = d.type();
        private int baseFilters = d.baseFilters();
        private int layers = d.layers();
        private Normalization normalization = d.normalization();
        private DiscriminatorConfig.Output output = d.output();
        private double leakySlope = d.leakySlope();
        private long seed = d.seed();
        private IUpdater updater = AdamDefaults.adam(AdamDefaults.DISCRIMINATOR_LEARNING_RATE);
        private DataType dataType = DataType.FLOAT;

        private Builder() {
        }

        /** Starts from an existing config. */
        public Builder config(DiscriminatorConfig c) {
            Objects.requireNonNull(c, "config");
            type = c.type();
            baseFilters = c.baseFilters();
            layers = c.layers();
            normalization = c.normalization();
            output = c.output();
            leakySlope = c.leakySlope();
            seed = c.seed();
            return this;
        }

        /** Discriminator family; default PATCH_GAN. */
        public Builder type(DiscriminatorConfig.Type v) {
            type = v;
            return this;
        }

        /** Filters of the first conv; default 64. */
        public Builder baseFilters(int v) {
            baseFilters = v;
            return this;
        }

        /** Stride-2 stages; default 3 (the 70x70 PatchGAN). */
        public Builder layers(int v) {
            layers = v;
            return this;
        }

        /** Normalization of inner convs; default INSTANCE. */
        public Builder normalization(Normalization v) {
            normalization = v;
            return this;
        }

        /** PATCH (default) or GLOBAL (mean logit per image). */
        public Builder output(DiscriminatorConfig.Output v) {
            output = v;
            return this;
        }

        /** LeakyReLU negative slope; default 0.2. */
        public Builder leakySlope(double v) {
            leakySlope = v;
            return this;
        }

        /** Weight-initialisation seed; default 42. */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /** Optimizer; default Adam(2e-4, 0.5, 0.999). */
        public Builder updater(IUpdater v) {
            updater = Objects.requireNonNull(v, "updater");
            return this;
        }

        /** Network precision; default FLOAT. DOUBLE is for gradient checks. */
        public Builder dataType(DataType v) {
            dataType = GraphBlocks.floatOrDouble(v);
            return this;
        }

        /** Validates and builds a freshly initialised discriminator. */
        public Discriminator build() {
            DiscriminatorConfig c = new DiscriminatorConfig(type, baseFilters, layers, normalization, output,
                    leakySlope, seed);
            return new Discriminator(c, graphConfiguration(c, updater.clone(), dataType), null, null);
        }
    }
}
