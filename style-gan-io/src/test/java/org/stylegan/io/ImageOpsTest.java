package org.stylegan.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stylegan.io.TestSupport.assertAllClose;
import static org.stylegan.io.TestSupport.rgb;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ImageOpsTest {

    private static INDArray ramp(long n, long c, long h, long w) {
        float[] v = new float[(int) (n * c * h * w)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) i / Math.max(1, v.length - 1);
        }
        return Nd4j.create(v, new long[] {n, c, h, w}, 'c');
    }

    @Test
    void areaDownscaleBy2IsTheMeanOf2x2Blocks() {
        INDArray x = ramp(2, 3, 8, 6).muli(2).subi(1);
        INDArray y = ImageOps.resize(x, 3, 4); // width 3, height 4
        assertThat(y.shape()).containsExactly(2, 3, 4, 3);
        INDArray expected = Nd4j.create(DataType.FLOAT, 2, 3, 4, 3);
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 3; j++) {
                        double m = (x.getDouble(n, c, 2 * i, 2 * j) + x.getDouble(n, c, 2 * i + 1, 2 * j)
                                + x.getDouble(n, c, 2 * i, 2 * j + 1) + x.getDouble(n, c, 2 * i + 1, 2 * j + 1)) / 4;
                        expected.putScalar(new long[] {n, c, i, j}, m);
                    }
                }
            }
        }
        assertAllClose(y, expected, 1e-5, 1e-6);
    }

    @Test
    void areaDownscaleByNonIntegerFactorPreservesTheMean() {
        INDArray x = ramp(1, 1, 10, 10);
        INDArray y = ImageOps.resize(x, 3, 3, ImageOps.Filter.AREA);
        assertThat(y.meanNumber().doubleValue()).isCloseTo(x.meanNumber().doubleValue(),
                org.assertj.core.data.Offset.offset(1e-5));
    }

    @ParameterizedTest
    @EnumSource(ImageOps.Filter.class)
    void constantStaysConstantForEveryFilterUpAndDown(ImageOps.Filter filter) {
        INDArray x = Nd4j.valueArrayOf(new long[] {1, 3, 9, 7}, 0.25f);
        for (int[] size : new int[][] {{3, 4}, {16, 20}, {7, 9}, {1, 1}}) {
            INDArray y = ImageOps.resize(x, size[0], size[1], filter);
            assertThat(y.shape()).containsExactly(1, 3, size[1], size[0]);
            assertAllClose(y, Nd4j.valueArrayOf(y.shape(), 0.25f), 0, 1e-6);
        }
    }

    @Test
    void bicubicAndBilinearUpscaleReproduceALinearRampInTheInterior() {
        int w = 8;
        INDArray x = Nd4j.create(DataType.FLOAT, 1, 1, 1, w);
        for (int j = 0; j < w; j++) {
            x.putScalar(j, j);
        }
        for (ImageOps.Filter f : new ImageOps.Filter[] {ImageOps.Filter.BICUBIC, ImageOps.Filter.BILINEAR}) {
            INDArray y = ImageOps.resize(x, 2 * w, 1, f);
            // output pixel k sits at input coordinate (k + 0.5) / 2 - 0.5
            for (int k = 4; k < 2 * w - 4; k++) {
                assertThat(y.getDouble(0, 0, 0, k)).as("%s k=%d", f, k)
                        .isCloseTo((k + 0.5) / 2 - 0.5, org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }

    @Test
    void resizeKeepsDoubleTypeAndRank3() {
        INDArray x = ramp(1, 3, 4, 4).castTo(DataType.DOUBLE).reshape(3, 4, 4);
        INDArray y = ImageOps.resize(x, 2, 2);
        assertThat(y.shape()).containsExactly(3, 2, 2);
        assertThat(y.dataType()).isEqualTo(DataType.DOUBLE);
    }

    @Test
    void imageResizeMatchesTensorResizeWithinRounding() {
        BufferedImage img = TestSupport.noiseImage(40, 30, 4);
        BufferedImage small = ImageOps.resize(img, 17, 13);
        assertThat(small.getWidth()).isEqualTo(17);
        assertThat(small.getHeight()).isEqualTo(13);
        INDArray viaTensor = ImageOps.resize(Images.toTensor(img), 17, 13);
        assertAllClose(Images.toTensor(small), viaTensor, 0, 1.01 / 255);
        BufferedImage big = ImageOps.resize(img, 64, 48);
        assertThat(big.getWidth()).isEqualTo(64);
        assertThat(ImageOps.resize(img, 40, 30)).isNotSameAs(img);
        assertThat(rgb(ImageOps.resize(img, 40, 30))).containsExactly(rgb(img));
    }

    @Test
    void resizeShorterSideKeepsAspect() {
        BufferedImage img = TestSupport.noiseImage(60, 30, 1);
        BufferedImage r = ImageOps.resizeShorterSide(img, 10);
        assertThat(r.getWidth()).isEqualTo(20);
        assertThat(r.getHeight()).isEqualTo(10);
        BufferedImage tall = ImageOps.resizeShorterSide(TestSupport.noiseImage(15, 45, 1), 20);
        assertThat(tall.getWidth()).isEqualTo(20);
        assertThat(tall.getHeight()).isEqualTo(60);
    }

    @Test
    void centerCropOnImagesAndTensorsAgree() {
        BufferedImage img = TestSupport.noiseImage(11, 9, 5);
        BufferedImage c = ImageOps.centerCrop(img, 5, 4);
        assertThat(c.getRGB(0, 0)).isEqualTo(img.getRGB(3, 2));
        INDArray t = ImageOps.centerCrop(Images.toTensor(img), 5, 4);
        assertAllClose(t, Images.toTensor(c), 0, 0);
        assertThatThrownBy(() -> ImageOps.centerCrop(img, 12, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("crop 12x4 is larger than the input 11x9");
    }

    @Test
    void randomCropIsSeededAndInBounds() {
        BufferedImage img = TestSupport.noiseImage(20, 20, 6);
        int[] first = rgb(ImageOps.randomCrop(img, 8, 8, new Random(42)));
        assertThat(rgb(ImageOps.randomCrop(img, 8, 8, new Random(42)))).containsExactly(first);
        boolean differs = false;
        for (int s = 0; s < 20; s++) {
            BufferedImage c = ImageOps.randomCrop(img, 8, 8, new Random(s));
            assertThat(c.getWidth()).isEqualTo(8);
            differs |= !java.util.Arrays.equals(rgb(c), first);
        }
        assertThat(differs).isTrue();
        INDArray t = ImageOps.randomCrop(Images.toTensor(img), 20, 20, new Random(1)); // full-size crop
        assertAllClose(t, Images.toTensor(img), 0, 0);
    }

    @Test
    void flipMirrorsAndIsAnInvolution() {
        BufferedImage img = TestSupport.noiseImage(7, 3, 7);
        BufferedImage f = ImageOps.flipHorizontal(img);
        assertThat(f.getRGB(0, 1)).isEqualTo(img.getRGB(6, 1));
        assertThat(rgb(ImageOps.flipHorizontal(f))).containsExactly(rgb(img));
        INDArray t = Images.toTensor(img);
        assertAllClose(ImageOps.flipHorizontal(t), Images.toTensor(f), 0, 0);
        INDArray d = ramp(2, 2, 3, 5).castTo(DataType.DOUBLE);
        INDArray fd = ImageOps.flipHorizontal(d);
        assertThat(fd.dataType()).isEqualTo(DataType.DOUBLE);
        assertThat(fd.getDouble(1, 1, 2, 0)).isEqualTo(d.getDouble(1, 1, 2, 4));
    }

    @Test
    void padToMultipleReflectsAndCropsBack() {
        INDArray x = ramp(2, 3, 5, 6);
        ImageOps.Padded p = ImageOps.padToMultiple(x, 4);
        assertThat(p.tensor().shape()).containsExactly(2, 3, 8, 8);
        assertThat(p.top()).isEqualTo(1);
        assertThat(p.left()).isEqualTo(1);
        // reflection without repeating the edge: padded row 0 = original row 1, padded col 0 = original col 1
        INDArray inner = p.tensor().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, 6),
                NDArrayIndex.interval(1, 7));
        assertAllClose(inner, x, 0, 0);
        assertThat(p.tensor().getDouble(0, 0, 0, 0)).isEqualTo(x.getDouble(0, 0, 1, 1));
        assertThat(p.tensor().getDouble(1, 2, 7, 7)).isEqualTo(x.getDouble(1, 2, 2, 4)); // rows 6,7 -> 3,2; col 7 -> 4
        assertThat(p.tensor().getDouble(1, 2, 6, 7)).isEqualTo(x.getDouble(1, 2, 3, 4));
        assertAllClose(p.cropBack(p.tensor()), x, 0, 0);
        // A generator output with another channel count crops back the same way.
        INDArray out = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8);
        assertThat(p.cropBack(out).shape()).containsExactly(2, 1, 5, 6);
        assertThatThrownBy(() -> p.cropBack(Nd4j.zeros(DataType.FLOAT, 2, 3, 8, 9)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("padded size 8x8");
    }

    @Test
    void padToMultipleHandlesTinyAndAlreadyAlignedInputs() {
        INDArray one = Nd4j.valueArrayOf(new long[] {1, 3, 1, 1}, 0.5f);
        ImageOps.Padded p = ImageOps.padToMultiple(one, 4);
        assertThat(p.tensor().shape()).containsExactly(1, 3, 4, 4);
        assertAllClose(p.tensor(), Nd4j.valueArrayOf(new long[] {1, 3, 4, 4}, 0.5f), 0, 0);
        INDArray two = ramp(1, 1, 2, 2);
        ImageOps.Padded p2 = ImageOps.padToMultiple(two, 8); // pad 6 > size: reflection repeats
        assertThat(p2.tensor().shape()).containsExactly(1, 1, 8, 8);
        assertAllClose(p2.cropBack(p2.tensor()), two, 0, 0);
        INDArray aligned = ramp(1, 3, 8, 4);
        ImageOps.Padded p3 = ImageOps.padToMultiple(aligned, 4);
        assertAllClose(p3.tensor(), aligned, 0, 0);
        assertThatThrownBy(() -> ImageOps.padToMultiple(aligned, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple must be >= 1, found 0");
    }

    @Test
    void opsOnOneByOneImages() {
        BufferedImage one = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        one.setRGB(0, 0, 0xABCDEF);
        assertThat(ImageOps.flipHorizontal(one).getRGB(0, 0)).isEqualTo(one.getRGB(0, 0));
        BufferedImage big = ImageOps.resize(one, 4, 4);
        assertThat(big.getRGB(3, 3) & 0xFFFFFF).isEqualTo(0xABCDEF);
        assertThat(ImageOps.centerCrop(one, 1, 1).getRGB(0, 0)).isEqualTo(one.getRGB(0, 0));
    }

    @Test
    void inputsAreNotModified() {
        INDArray x = ramp(1, 3, 6, 6);
        INDArray copy = x.dup();
        ImageOps.resize(x, 3, 3);
        ImageOps.flipHorizontal(x);
        ImageOps.padToMultiple(x, 4);
        ImageOps.centerCrop(x, 2, 2);
        assertAllClose(x, copy, 0, 0);
    }
}
