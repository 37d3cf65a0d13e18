package org.stylegan.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.stylegan.core.net.Generator;
import org.stylegan.core.train.TrainFixtures;
import org.stylegan.core.train.TrainerConfig;
import org.stylegan.io.ImageOps;

/** The runtime knobs of {@link StyleModel.Options}: colour preservation and brush scale. */
class StyleModelOptionsTest {
    private static StyleModel model;

    @BeforeAll
    static void tinyModel() {
        TrainerConfig cfg = TrainFixtures.tiny().build();
        Generator g = Generator.builder().config(cfg.generator()).build();
        model = StyleModel.of(g, cfg, null, null, null);
    }

    private static INDArray colourful(long seed, int h, int w) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, 1, 3, h, w).muli(1.6).subi(0.8);
    }

    /** BT.601 chroma of [-1, 1] RGB: Cb and Cr planes. */
    private static INDArray[] chroma(INDArray x) {
        INDArray r = x.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray g = x.get(NDArrayIndex.all(), NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray b = x.get(NDArrayIndex.all(), NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.all());
        INDArray y = r.mul(0.299).addi(g.mul(0.587)).addi(b.mul(0.114));
        return new INDArray[] {b.sub(y).muli(0.564), r.sub(y).muli(0.713), y};
    }

    @Test
    void preserveColorsKeepsTheContentsChromaAndChangesLuminance() {
        INDArray x = colourful(1, 32, 40);
        INDArray out = model.stylize(x, StyleModel.Options.DEFAULT.withPreserveColors(true));
        INDArray[] in = chroma(x);
        INDArray[] got = chroma(out);
        TestSupport.assertAllClose(got[0], in[0], 0, 1e-5);
        TestSupport.assertAllClose(got[1], in[1], 0, 1e-5);
        double lumaChange = got[2].sub(in[2]).norm1Number().doubleValue() / in[2].length();
        assertThat(lumaChange).as("mean |luminance change|: the style still shows").isGreaterThan(0.01);
        INDArray plain = model.stylize(x);
        double plainChroma = chroma(plain)[1].sub(in[1]).norm1Number().doubleValue() / in[1].length();
        assertThat(plainChroma).as("without the option the chroma does change").isGreaterThan(0.01);
    }

    @Test
    void preserveColorsKeepsChromaOfAnImageWithinOneLevelWhereNothingClips() {
        BufferedImage photo = TrainFixtures.contentImages(1, 40).get(0);
        BufferedImage out = model.stylize(photo, StyleModel.Options.DEFAULT.withPreserveColors(true));
        int checked = 0;
        for (int yy = 0; yy < photo.getHeight(); yy++) {
            for (int xx = 0; xx < photo.getWidth(); xx++) {
                int[] a = rgb(photo.getRGB(xx, yy));
                int[] o = rgb(out.getRGB(xx, yy));
                if (min(o) == 0 || max(o) == 255) {
                    continue; // a clipped channel cannot keep the chroma
                }
                checked++;
                assertThat(Math.abs(cb(o) - cb(a))).as("Cb at (%d, %d)", xx, yy).isLessThanOrEqualTo(1.0);
                assertThat(Math.abs(cr(o) - cr(a))).as("Cr at (%d, %d)", xx, yy).isLessThanOrEqualTo(1.0);
            }
        }
        assertThat(checked).as("pixels that did not clip").isGreaterThan(photo.getWidth() * photo.getHeight() / 10);
    }

    private static int[] rgb(int p) {
        return new int[] {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff};
    }

    private static int min(int[] v) {
        return Math.min(v[0], Math.min(v[1], v[2]));
    }

    private static int max(int[] v) {
        return Math.max(v[0], Math.max(v[1], v[2]));
    }

    private static double cb(int[] v) {
        return -0.168736 * v[0] - 0.331264 * v[1] + 0.5 * v[2];
    }

    private static double cr(int[] v) {
        return 0.5 * v[0] - 0.418688 * v[1] - 0.081312 * v[2];
    }

    @Test
    void brushScaleRunsTheGeneratorAtTheScaledSizeAndReturnsTheInputSize() {
        INDArray x = colourful(2, 48, 64);
        INDArray out = model.stylize(x, StyleModel.Options.DEFAULT.withBrushScale(2));
        assertThat(out.shape()).containsExactly(1, 3, 48, 64);
        INDArray expected = ImageOps.resize(model.stylize(ImageOps.resize(x, 32, 24)), 64, 48);
        TestSupport.assertAllClose(out, expected, 0, 1e-6);
        assertThat(out.equalsWithEps(model.stylize(x), 1e-3)).as("scale 2 differs from scale 1").isFalse();
        TestSupport.assertAllClose(model.stylize(x, StyleModel.Options.DEFAULT.withBrushScale(1)), model.stylize(x),
                0, 0);
    }

    @Test
    void brushScaleWithTilesTilesTheWorkingImage() {
        INDArray x = colourful(3, 40, 40);
        INDArray out = model.stylize(x, StyleModel.Options.DEFAULT.withBrushScale(0.5).withTiles(48, 8));
        assertThat(out.shape()).containsExactly(1, 3, 40, 40);
        INDArray expected = ImageOps.resize(model.stylize(ImageOps.resize(x, 80, 80),
                StyleModel.Options.DEFAULT.withTiles(48, 8)), 40, 40);
        TestSupport.assertAllClose(out, expected, 0, 1e-6);
    }

    @Test
    void badBrushScalesAreRefusedWithTheFix() {
        assertThatThrownBy(() -> StyleModel.Options.DEFAULT.withBrushScale(5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("brushScale must be in [0.25, 4.0] (1 = strokes as trained), found 5.0");
        assertThatThrownBy(() -> model.stylize(colourful(4, 8, 8), StyleModel.Options.DEFAULT.withBrushScale(4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("brushScale 4.0").hasMessageContaining("use a smaller brushScale");
    }
}
