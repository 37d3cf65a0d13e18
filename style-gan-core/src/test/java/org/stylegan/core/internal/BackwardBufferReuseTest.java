package org.stylegan.core.internal;

import org.stylegan.core.TestSupport;
import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.gradient.Gradient;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.net.Generator;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.net.DiscriminatorConfig;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.Features;
import org.stylegan.core.internal.TrainableGraph;
import org.stylegan.core.internal.GradientCopy;

/**
 * Backward passes hand consumed gradient buffers out again before they end (BufferPool.openBackward): the results
 * must be bit-identical to passes that keep every buffer, including across residual additions (whose first input
 * shares the vertex's own gradient) and over repeated passes, and the pool must hold less.
 */
class BackwardBufferReuseTest {
    private static INDArray image(long seed, int batch, int size) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, batch, 3, size, size).muli(2).subi(1);
    }

    /** Two passes (forward, backward of a fixed output gradient); returns the second's gradients, detached. */
    private static INDArray[] twoPasses(TrainableGraph net, INDArray x, long seed) {
        INDArray[] out = null;
        for (int pass = 0; pass < 2; pass++) {
            INDArray y = net.forward(x, true);
            Nd4j.getRandom().setSeed(seed + pass);
            INDArray dy = Nd4j.rand(DataType.FLOAT, y.shape()).subi(0.5);
            TrainableGraph.Backward b = net.backward(dy);
            Gradient g = b.paramGradient();
            out = new INDArray[] {b.inputGradient(), ((GradientCopy) g).flat()};
        }
        return out;
    }

    private static void assertSameResults(TrainableGraph keepAll, TrainableGraph reuse, INDArray x) {
        keepAll.reuseBackwardBuffers = false;
        INDArray[] expected = twoPasses(keepAll, x, 5);
        INDArray[] actual = twoPasses(reuse, x, 5);
        TestSupport.assertAllClose(actual[0], expected[0], 0, 0);
        TestSupport.assertAllClose(actual[1], expected[1], 0, 0);
        assertThat(reuse.buffers().reuses()).isPositive();
        assertThat(keepAll.buffers().reuses()).isZero();
        assertThat(reuse.bufferBytes()).isPositive().isLessThan(keepAll.bufferBytes());
    }

    @Test
    void generatorGradientsAreBitIdenticalWithLessPoolMemory() {
        assertSameResults(Generator.builder().seed(3).build().engine(), Generator.builder().seed(3).build().engine(), image(1, 2, 32));
    }

    @Test
    void featureNetworkImageGradientIsBitIdenticalWithTwoTaps() {
        // Two outputs: the shallow tap's vertex also feeds the deeper layers, so its gradient is a sum that DL4J
        // accumulates in place into one of the two buffers.
        FeatureExtractor keepAll = FeatureExtractor.random(6);
        FeatureExtractor reuse = FeatureExtractor.random(6);
        keepAll.engine().reuseBackwardBuffers = false;
        INDArray x = image(3, 2, 32);
        INDArray expected = null;
        INDArray actual = null;
        for (int pass = 0; pass < 2; pass++) {
            Features a = keepAll.forward(x);
            Features b = reuse.forward(x);
            java.util.Map<String, INDArray> grads = new java.util.HashMap<>();
            for (String tap : java.util.List.of("relu1_2", "relu2_2")) {
                Nd4j.getRandom().setSeed(7 + pass + tap.length());
                grads.put(tap, Nd4j.rand(DataType.FLOAT, a.get(tap).shape()).subi(0.5));
            }
            expected = keepAll.backward(a, grads);
            actual = reuse.backward(b, grads);
        }
        TestSupport.assertAllClose(actual, expected, 0, 0);
        assertThat(reuse.engine().buffers().reuses()).isPositive();
    }

    @Test
    void discriminatorGivesTheSameGradientsWhenTheBatchSizeAlternates() {
        // A GAN step runs the discriminator at two batch sizes; instance norm keeps a set of per-plane buffers for
        // each, and its block matrices of ones are kept per shape.
        Discriminator d = Discriminator.builder().seed(8).build();
        INDArray x2 = image(4, 2, 32);
        INDArray x3 = image(5, 3, 32);
        INDArray[] first = twoPasses(d.engine(), x2, 9);
        twoPasses(d.engine(), x3, 10);
        INDArray[] again = twoPasses(d.engine(), x2, 9);
        twoPasses(d.engine(), x3, 10);
        INDArray[] third = twoPasses(d.engine(), x2, 9);
        TestSupport.assertAllClose(again[0], first[0], 0, 0);
        TestSupport.assertAllClose(again[1], first[1], 0, 0);
        TestSupport.assertAllClose(third[0], first[0], 0, 0);
        TestSupport.assertAllClose(third[1], first[1], 0, 0);
    }

    @Test
    void resnetDiscriminatorGradientsAreBitIdentical() {
        Discriminator a = Discriminator.builder().type(DiscriminatorConfig.Type.RESNET).seed(4).build();
        Discriminator b = Discriminator.builder().type(DiscriminatorConfig.Type.RESNET).seed(4).build();
        assertSameResults(a.engine(), b.engine(), image(2, 2, 32));
    }
}
