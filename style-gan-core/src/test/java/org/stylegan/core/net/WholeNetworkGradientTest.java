package org.stylegan.core.net;

import org.stylegan.core.TestSupport;
import static org.assertj.core.api.Assertions.fail;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.net.Generator;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.net.DiscriminatorConfig;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.Features;
import org.stylegan.core.net.Padding;
import org.stylegan.core.net.Upsampling;
import org.stylegan.core.internal.TrainableGraph;

/** Finite-difference checks (double precision) of whole small networks: input and parameter gradients. */
class WholeNetworkGradientTest {

    private static INDArray image(long seed, int b, int h, int w) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, b, 3, h, w).muli(2).subi(1);
    }

    /** Moves instance-norm scales/shifts off their initial 1/0 so their gradients are exercised generically. */
    private static void perturbNormParams(TrainableGraph net, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (org.deeplearning4j.nn.api.Layer l : net.graph().getLayers()) {
            if (l instanceof org.stylegan.core.nn.InstanceNormalizationLayer) {
                INDArray p = l.params();
                p.addi(Nd4j.rand(DataType.DOUBLE, p.shape()).subi(0.5).muli(0.4));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void smallGeneratorGradientsMatch(int batch) {
        Generator g = Generator.builder().baseFilters(4).residualBlocks(1).seed(11).dataType(DataType.DOUBLE).build();
        perturbNormParams(g.engine(), 12);
        TestSupport.checkGradients(g.engine(), image(13, batch, 8, 8), 14, 40);
    }

    @Test
    void smallGeneratorWithZeroPaddingAndTransposedUpsamplingGradientsMatch() {
        Generator g = Generator.builder().baseFilters(3).residualBlocks(1).padding(Padding.ZERO)
                .upsampling(Upsampling.TRANSPOSED).seed(21).dataType(DataType.DOUBLE).build();
        perturbNormParams(g.engine(), 22);
        TestSupport.checkGradients(g.engine(), image(23, 2, 8, 8), 24, 40);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void smallPatchGanGradientsMatch(int batch) {
        Discriminator d = Discriminator.builder().baseFilters(4).layers(2).seed(31).dataType(DataType.DOUBLE)
                .build();
        perturbNormParams(d.engine(), 32);
        TestSupport.checkGradients(d.engine(), image(33, batch, 16, 16), 34, 40);
    }

    @Test
    void smallResnetDiscriminatorGradientsMatch() {
        Discriminator d = Discriminator.builder().type(DiscriminatorConfig.Type.RESNET).baseFilters(3).layers(2)
                .output(DiscriminatorConfig.Output.GLOBAL).seed(41).dataType(DataType.DOUBLE).build();
        perturbNormParams(d.engine(), 42);
        TestSupport.checkGradients(d.engine(), image(43, 3, 8, 8), 44, 40);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void featureExtractorImageGradientMatches(int batch) {
        FeatureExtractor fe = FeatureExtractor.builder().seed(51).styleTaps("relu1_2", "relu2_2", "relu3_1")
                .dataType(DataType.DOUBLE).build();
        INDArray x = image(52, batch, 8, 8);
        Features f = fe.forward(x);
        Nd4j.getRandom().setSeed(53);
        Map<String, INDArray> w = new LinkedHashMap<>();
        w.put("relu1_2", Nd4j.rand(DataType.DOUBLE, f.get("relu1_2").shape()).subi(0.5));
        w.put("relu3_1", Nd4j.rand(DataType.DOUBLE, f.get("relu3_1").shape()).subi(0.5));
        // relu2_2 left out on purpose: absent taps count as zero gradient.
        TestSupport.checkFeatureGradient(fe, x, w, 1e-6, 60);
    }
}
