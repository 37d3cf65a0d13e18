package org.stylegan.core.nn;

import static org.stylegan.core.TestSupport.assertAllClose;

import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.stylegan.core.TestSupport;
import org.stylegan.core.internal.TrainableGraph;

/**
 * The whole-batch NHWC instance norm (per-plane values in Java, block-ones column sums, broadcast affine) against the
 * NCHW implementation, which computes the same function with different ops: every activation path (identity, from
 * the output, recomputed pre-activation), affine or not, batch 1 and 3, float and double, both column-sum paths.
 */
class InstanceNormNhwcTest {

    private static ComputationGraphConfiguration single(Layer layer, CNN2DFormat f, int c, int h, int w,
                                                        DataType dt) {
        return new NeuralNetConfiguration.Builder().dataType(dt).seed(7).updater(new Sgd(0.1))
                .weightInit(WeightInit.RELU).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(h, w, c, f))
                .addLayer("l", layer, "in").setOutputs("l").build();
    }

    private static InstanceNormalization norm(IActivation act, boolean affine, CNN2DFormat f) {
        return new InstanceNormalization.Builder().activation(act).affine(affine).dataFormat(f).build();
    }

    private static INDArray randn(long seed, DataType dt, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(DataType.DOUBLE, shape).castTo(dt);
    }

    private static INDArray toNhwc(INDArray nchw) {
        return nchw.permute(0, 2, 3, 1).dup('c');
    }

    private static INDArray toNchw(INDArray nhwc) {
        return nhwc.permute(0, 3, 1, 2).dup('c');
    }

    static Stream<Arguments> cases() {
        return cases(new ActivationIdentity(), new ActivationReLU(), new ActivationLReLU(0.2), new ActivationTanH(),
                new ActivationSigmoid());
    }

    /** Every activation, affine or not, batch 1 and 3. */
    private static Stream<Arguments> cases(IActivation... acts) {
        Stream.Builder<Arguments> b = Stream.builder();
        for (IActivation act : acts) {
            for (boolean affine : new boolean[] {true, false}) {
                for (int batch : new int[] {1, 3}) {
                    b.add(Arguments.of(act, affine, batch));
                }
            }
        }
        return b.build();
    }

    /** Forward (training and inference) and backward of NHWC agree with NCHW in double precision. */
    @ParameterizedTest
    @MethodSource("cases")
    void nhwcMatchesNchw(IActivation act, boolean affine, int batch) {
        compare(act, affine, batch, 5, 6, 4, DataType.DOUBLE, 1e-9);
    }

    static Stream<Arguments> fusedCases() {
        return cases(new ActivationIdentity(), new ActivationReLU(), new ActivationLReLU(0.2));
    }

    /** The fused float kernels (InstanceNormKernels) against the double NCHW layer, odd channel count. */
    @ParameterizedTest
    @MethodSource("fusedCases")
    void fusedFloatKernelsMatchDoubleReference(IActivation act, boolean affine, int batch) {
        compare(act, affine, batch, 33, 5, 7, DataType.FLOAT, 2e-4);
    }

    /**
     * On float data with a large mean against its spread (2000:1), the fused forward kernel stays within float
     * tolerance of the double NCHW layer (it sums values shifted by the plane's first value, so the variance does
     * not cancel). The backward pass (ND4J ops) forms sum(g * xhat) as inv * (sum(g * x) - mean * sum(g)), which
     * loses about log10(mean / spread) digits there: gradients get a looser bound. Also shows that the switch changes
     * the forward path.
     */
    @Test
    void fusedForwardKeepsPrecisionForLargeMeans() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.FLOAT, 2, 6, 9, 16).muli(0.5).addi(1000); // NHWC, exactly float
        INDArray g = Nd4j.randn(DataType.FLOAT, 2, 6, 9, 16);
        INDArray[] fused = run(x, g, true, DataType.FLOAT);
        INDArray[] ops = run(x, g, false, DataType.FLOAT);
        INDArray[] ref = run(x.castTo(DataType.DOUBLE), g.castTo(DataType.DOUBLE), false, DataType.DOUBLE);
        assertAllClose(fused[0].castTo(DataType.DOUBLE), ref[0], 2e-3, 2e-3);
        assertAllClose(fused[1].castTo(DataType.DOUBLE), ref[1], 2e-2, 2e-2);
        assertAllClose(fused[2].castTo(DataType.DOUBLE), ref[2], 2e-2, 2e-2);
        org.assertj.core.api.Assertions.assertThat(fused[0].equals(ops[0])).isFalse();
    }

    /** Output, input gradient and parameter gradient of a leaky-ReLU NHWC layer with fixed parameters. */
    private static INDArray[] run(INDArray x, INDArray g, boolean fusedKernels, DataType dt) {
        TrainableGraph net = TestSupport.graph(single(norm(new ActivationLReLU(0.2), true, CNN2DFormat.NHWC),
                CNN2DFormat.NHWC, 16, 6, 9, dt));
        normLayers(net).forEach(l -> l.fusedKernels = fusedKernels);
        Nd4j.getRandom().setSeed(6);
        net.graph().params().assign(Nd4j.rand(DataType.DOUBLE, net.graph().params().shape()).addi(0.5)
                .castTo(dt));
        INDArray y = net.forward(x, true).dup();
        TrainableGraph.Backward bw = net.backward(g);
        return new INDArray[] {y, bw.inputGradient().dup(), bw.paramGradient().gradient().dup()};
    }

    /** The instance-norm layer instances of a graph, to set their per-layer test settings. */
    private static java.util.List<InstanceNormalizationLayer> normLayers(TrainableGraph net) {
        return java.util.Arrays.stream(net.graph().getLayers())
                .filter(InstanceNormalizationLayer.class::isInstance)
                .map(InstanceNormalizationLayer.class::cast).toList();
    }

    /** Float, more channels and batch 4 (the discriminator's layout): within float tolerance of the NCHW layer. */
    @Test
    void floatNhwcMatchesNchw() {
        compare(new ActivationLReLU(0.2), true, 4, 16, 8, 8, DataType.FLOAT, 2e-4);
        compare(new ActivationReLU(), true, 1, 32, 16, 16, DataType.FLOAT, 2e-4);
    }

    /** The per-example column sums (taken for large batches) give the same results as the block-ones product. */
    @Test
    void perExampleColumnSumsMatchBlockProduct() {
        compare(new ActivationLReLU(0.2), true, 3, 5, 6, 4, DataType.DOUBLE, 1e-9, 0);
        compare(new ActivationIdentity(), false, 3, 5, 6, 4, DataType.DOUBLE, 1e-9, 0);
    }

    /** Per-plane buffers are reused across calls: a change of batch size in between does not leak old values. */
    @Test
    void changingBatchSizeBetweenCallsKeepsResultsRight() {
        TrainableGraph nhwc = TestSupport.graph(single(norm(new ActivationTanH(), true, CNN2DFormat.NHWC),
                CNN2DFormat.NHWC, 3, 4, 5, DataType.DOUBLE));
        TrainableGraph nchw = TestSupport.graph(single(norm(new ActivationTanH(), true, CNN2DFormat.NCHW),
                CNN2DFormat.NCHW, 3, 4, 5, DataType.DOUBLE));
        Nd4j.getRandom().setSeed(3);
        nchw.graph().params().assign(Nd4j.rand(DataType.DOUBLE, nchw.graph().params().shape()).addi(0.5));
        nhwc.graph().params().assign(nchw.graph().params());
        for (int batch : new int[] {3, 1, 2, 3}) {
            INDArray x = randn(40 + batch, DataType.DOUBLE, batch, 3, 4, 5).muli(2);
            INDArray g = randn(50 + batch, DataType.DOUBLE, batch, 3, 4, 5);
            nchw.forward(x, true);
            TrainableGraph.Backward ref = nchw.backward(g);
            nhwc.forward(toNhwc(x), true);
            TrainableGraph.Backward bw = nhwc.backward(toNhwc(g));
            assertAllClose(toNchw(bw.inputGradient()), ref.inputGradient(), 1e-9, 1e-12);
            assertAllClose(bw.paramGradient().gradient(), ref.paramGradient().gradient(), 1e-9, 1e-12);
        }
    }

    /** Finite differences through the leaky ReLU (from the output) and sigmoid (recomputed) paths, batch 3. */
    @Test
    void gradientsMatchFiniteDifferences() {
        for (IActivation act : new IActivation[] {new ActivationLReLU(0.2), new ActivationSigmoid()}) {
            TrainableGraph net = TestSupport.graph(single(norm(act, true, CNN2DFormat.NHWC), CNN2DFormat.NHWC,
                    3, 4, 5, DataType.DOUBLE));
            Nd4j.getRandom().setSeed(21);
            INDArray p = net.graph().params();
            p.assign(Nd4j.rand(DataType.DOUBLE, p.shape()).muli(1.5).addi(0.25));
            TestSupport.checkGradients(net, randn(22, DataType.DOUBLE, 3, 4, 5, 3).muli(2).addi(0.3), 23, 500);
        }
    }

    private static void compare(IActivation act, boolean affine, int batch, int c, int h, int w, DataType dt,
                                double tolerance) {
        compare(act, affine, batch, c, h, w, dt, tolerance, -1);
    }

    /** As above; {@code blockOnesLimit} >= 0 sets that limit on both graphs' norm layers. */
    private static void compare(IActivation act, boolean affine, int batch, int c, int h, int w, DataType dt,
                                double tolerance, long blockOnesLimit) {
        // DL4J's leaky ReLU backprop (the NCHW reference) uses alpha in float precision even for doubles
        // (0.2 -> 0.20000000298), a relative error of ~1.5e-8; the NHWC path is exact.
        double tol = act instanceof ActivationLReLU ? Math.max(tolerance, 1e-7) : tolerance;
        TrainableGraph nhwc = TestSupport.graph(single(norm(act, affine, CNN2DFormat.NHWC), CNN2DFormat.NHWC,
                c, h, w, dt));
        TrainableGraph nchw = TestSupport.graph(single(norm(act, affine, CNN2DFormat.NCHW), CNN2DFormat.NCHW,
                c, h, w, DataType.DOUBLE));
        if (blockOnesLimit >= 0) {
            normLayers(nhwc).forEach(l -> l.blockOnesLimit = blockOnesLimit);
            normLayers(nchw).forEach(l -> l.blockOnesLimit = blockOnesLimit);
        }
        if (affine) {
            Nd4j.getRandom().setSeed(17);
            INDArray p = nchw.graph().params();
            p.assign(Nd4j.rand(DataType.DOUBLE, p.shape()).muli(3).subi(1)); // gamma of both signs, beta
            nhwc.graph().params().assign(p.castTo(dt));
        }
        INDArray x = randn(18, DataType.DOUBLE, batch, c, h, w).muli(3).addi(1);
        INDArray g = randn(19, DataType.DOUBLE, batch, c, h, w);
        INDArray yRef = nchw.output(x).dup();
        assertAllClose(toNchw(nhwc.output(toNhwc(x).castTo(dt))).castTo(DataType.DOUBLE), yRef, tol, tol);
        nchw.forward(x, true);
        TrainableGraph.Backward ref = nchw.backward(g);
        INDArray y = nhwc.forward(toNhwc(x).castTo(dt), true);
        assertAllClose(toNchw(y).castTo(DataType.DOUBLE), yRef, tol, tol);
        TrainableGraph.Backward bw = nhwc.backward(toNhwc(g).castTo(dt));
        assertAllClose(toNchw(bw.inputGradient()).castTo(DataType.DOUBLE), ref.inputGradient(), tol, tol);
        if (affine) {
            assertAllClose(bw.paramGradient().gradient().castTo(DataType.DOUBLE), ref.paramGradient().gradient(),
                    tol, tol);
        }
    }
}
