package org.stylegan.core.internal;

import org.stylegan.core.TestSupport;
import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.nn.NhwcConvolution2DLayer;
import org.stylegan.core.net.Generator;
import org.stylegan.core.net.Normalization;
import org.stylegan.core.internal.FastPath;

class FastPathTest {

    @Test
    void oneDnnHelpersAreActiveAfterEnsureEnabled() {
        FastPath.ensureEnabled();
        FastPath.ensureEnabled(); // idempotent
        assertThat(FastPath.nativeHasOneDnn()).as("native build has oneDNN (nd4j classifier)").isTrue();
        assertThat(FastPath.isOneDnnActive()).isTrue();
    }

    @Test
    void theDefaultGeneratorRunsEveryConvolutionAsAnNhwcOneDnnOp() {
        // NhwcConvolution2D calls libnd4j's conv2d op, which takes oneDNN whenever the native build has it; a DL4J
        // ConvolutionLayer left in the graph would run NCHW with reorders (or im2col without its helper).
        Generator g = Generator.builder().baseFilters(4).residualBlocks(1).build();
        g.output(Nd4j.rand(DataType.FLOAT, 1, 3, 16, 16).subi(0.5));
        int convs = 0;
        for (Layer l : g.graph().getLayers()) {
            assertThat(l).as(l.conf().getLayer().getLayerName()).isNotInstanceOf(ConvolutionLayer.class);
            if (l instanceof NhwcConvolution2DLayer) {
                convs++;
            }
        }
        assertThat(convs).isGreaterThanOrEqualTo(6);
        assertThat(FastPath.nativeHasOneDnn()).isTrue();
    }

    @Test
    void everyConvolutionOfAnNchwGeneratorUsesTheOneDnnHelper() {
        Generator g = Generator.builder().baseFilters(4).residualBlocks(1).normalization(Normalization.BATCH).build();
        g.output(Nd4j.rand(DataType.FLOAT, 1, 3, 16, 16).subi(0.5));
        int convs = 0;
        for (Layer l : g.graph().getLayers()) {
            if (l instanceof ConvolutionLayer conv) {
                convs++;
                assertThat(conv.getHelper()).as("helper of " + l.conf().getLayer().getLayerName())
                        .isInstanceOf(MKLDNNConvHelper.class);
            }
        }
        assertThat(convs).isGreaterThanOrEqualTo(6);
    }

    @Test
    void oneDnnAndBuiltInPathsAgree() {
        // The double-precision graph runs the built-in path (helpers handle float32 only): compare outputs.
        Generator f = Generator.builder().baseFilters(4).residualBlocks(1).seed(5).build();
        Generator d = Generator.builder().baseFilters(4).residualBlocks(1).seed(5).dataType(DataType.DOUBLE).build();
        d.graph().params().assign(f.graph().params().castTo(DataType.DOUBLE));
        org.nd4j.linalg.api.ndarray.INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 20).subi(0.5);
        TestSupport.assertAllClose(f.output(x), d.output(x.castTo(DataType.DOUBLE)).castTo(DataType.FLOAT),
                1e-4, 1e-5);
    }
}
