package org.stylegan.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stylegan.losses.testing.NdAssertions.assertAllClose;
import static org.stylegan.losses.testing.NdAssertions.assertClose;
import static org.stylegan.losses.testing.NdAssertions.assertUnchanged;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.stylegan.losses.testing.GradientCheck;

class StyleLossTest {
    @Test
    void gramGradientOwnsItsBufferSoCallersCanFreeIt() {
        INDArray f = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 5);
        INDArray t = Nd4j.rand(DataType.FLOAT, 2, 3, 3);
        INDArray grad = StyleLoss.builder().build().computeGram(List.of(f), List.of(t)).gradient(0);
        assertThat(grad.shape()).containsExactly(2, 3, 4, 5);
        assertThat(grad.isView()).isFalse();
        assertThat(grad.closeable()).isTrue();
        grad.close();
        assertThat(grad.wasClosed()).isTrue();
    }


    private static final StyleLoss GRAM = StyleLoss.builder().build();
    private static final StyleLoss PIXEL = StyleLoss.builder().mode(StyleLoss.Mode.PIXEL).build();

    @Test
    void gramOfKnownMatrix() {
        // F = [[1, 2], [3, 4]] as C=2 channels of a 1x2 image: F F^T = [[5, 11], [11, 25]], / (C H W = 4)
        INDArray f = Nd4j.create(new double[] {1, 2, 3, 4}, new long[] {1, 2, 1, 2}, 'c');
        INDArray g = StyleLoss.gram(f);
        assertThat(g.shape()).containsExactly(1, 2, 2);
        assertAllClose(g, Nd4j.create(new double[] {1.25, 2.75, 2.75, 6.25}, new long[] {1, 2, 2}, 'c'), 1e-12, 0);
    }

    @Test
    void gramIsPerImageAndMatchesPerBatchMmul() {
        INDArray f = Fixtures.uniform(11, 3, 4, 5, 6);
        INDArray g = StyleLoss.gram(f);
        for (int b = 0; b < 3; b++) {
            INDArray fb = f.get(NDArrayIndex.point(b)).reshape(4, 30);
            INDArray expected = fb.mmul(fb.transpose()).div(4 * 5 * 6);
            assertAllClose(g.get(NDArrayIndex.point(b)), expected, 1e-12, 1e-15);
        }
    }

    @Test
    void gramWorksOnNonContiguousViewsAndFloat() {
        INDArray base = Fixtures.uniform(12, 2, 8, 6, 6);
        INDArray view = base.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 6), NDArrayIndex.all(), NDArrayIndex.all());
        assertAllClose(StyleLoss.gram(view), StyleLoss.gram(view.dup()), 1e-12, 1e-15);
        INDArray gf = StyleLoss.gram(Fixtures.f32(view));
        assertThat(gf.dataType()).isEqualTo(DataType.FLOAT);
        assertAllClose(gf, StyleLoss.gram(view), 1e-5, 1e-6);
    }

    @Test
    void gramLossHandComputed() {
        // Features [1, 1, 1, 2] = [1, 2]: G = (1 + 4) / 2 = 2.5; target 0.5 -> L = (2.5 - 0.5)^2 / 1 = 4.
        // dL/dF = (D + D^T) F / (CHW) with D = 2 * 2 / 1 = 4: 8 * [1, 2] / 2 = [4, 8].
        INDArray f = Nd4j.create(new double[] {1, 2}, new long[] {1, 1, 1, 2}, 'c');
        INDArray t = Nd4j.create(new double[] {0.5}, new long[] {1, 1, 1}, 'c');
        MultiLossResult r = GRAM.computeGram(List.of(f), List.of(t));
        assertClose(r.value(), 4.0, 1e-12, 0);
        assertThat(r.layerValues()).hasSize(1);
        assertAllClose(r.gradient(0), Nd4j.create(new double[] {4, 8}, new long[] {1, 1, 1, 2}, 'c'), 1e-12, 0);
    }

    @Test
    void gramLossIsMeanOverBatchAndChannelPairs() {
        // Matches F.mse_loss(gram(f), target): mean over B*C*C elements.
        INDArray f = Fixtures.uniform(13, 3, 4, 5, 5);
        INDArray t = Fixtures.uniformIn(14, 0, 0.5, 3, 4, 4);
        double expected = StyleLoss.gram(f).sub(t).norm2Number().doubleValue();
        expected = expected * expected / (3 * 4 * 4);
        assertClose(GRAM.computeGram(List.of(f), List.of(t)).value(), expected, 1e-12, 0);
    }

    @Test
    void targetGramOfBatchOneIsBroadcast() {
        INDArray f = Fixtures.uniform(15, 3, 4, 5, 5);
        INDArray t1 = Fixtures.uniformIn(16, 0, 0.5, 1, 4, 4);
        INDArray t3 = Nd4j.concat(0, t1, t1, t1);
        MultiLossResult a = GRAM.computeGram(List.of(f), List.of(t1));
        MultiLossResult b = GRAM.computeGram(List.of(f), List.of(t3));
        assertClose(a.value(), b.value(), 1e-12, 0);
        assertAllClose(a.gradient(0), b.gradient(0), 1e-12, 1e-15);
    }

    @Test
    void zeroWhenTargetIsOwnGram() {
        INDArray f = Fixtures.uniform(17, 2, 3, 4, 4);
        MultiLossResult r = GRAM.computeGram(List.of(f), List.of(StyleLoss.gram(f)));
        assertClose(r.value(), 0, 0, 1e-20);
        assertAllClose(r.gradient(0), Nd4j.zerosLike(f), 0, 1e-15);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void gradientCheckGramTwoLayersWeighted(int batch) {
        StyleLoss loss = StyleLoss.builder().layerWeights(0.7, 2.0).build();
        INDArray f1 = Fixtures.uniform(21, batch, 3, 4, 4);
        INDArray f2 = Fixtures.uniform(22, batch, 5, 2, 3);
        INDArray t1 = StyleLoss.gram(Fixtures.uniform(23, 1, 3, 4, 4));       // broadcast target
        INDArray t2 = StyleLoss.gram(Fixtures.uniform(24, batch, 5, 2, 3));   // per-image target
        MultiLossResult r = loss.computeGram(List.of(f1, f2), List.of(t1, t2));
        assertClose(r.value(), 0.7 * r.layerValues().get(0) + 2.0 * r.layerValues().get(1), 1e-12, 0);
        GradientCheck.Result c1 = GradientCheck.check(x -> loss.computeGram(List.of(x, f2), List.of(t1, t2)).value(),
                f1, r.gradient(0));
        GradientCheck.Result c2 = GradientCheck.check(x -> loss.computeGram(List.of(f1, x), List.of(t1, t2)).value(),
                f2, r.gradient(1));
        assertThat(c1.failures()).as(c1.summary()).isZero();
        assertThat(c2.failures()).as(c2.summary()).isZero();
    }

    @Test
    void gradientCheckGramWithAsymmetricTarget() {
        // A target that is not a Gram (not symmetric) still gets the exact gradient.
        INDArray f = Fixtures.uniform(25, 2, 3, 3, 3);
        INDArray t = Fixtures.uniform(26, 1, 3, 3);
        MultiLossResult r = GRAM.computeGram(List.of(f), List.of(t));
        GradientCheck.Result c = GradientCheck.check(x -> GRAM.computeGram(List.of(x), List.of(t)).value(), f, r.gradient(0));
        assertThat(c.failures()).as(c.summary()).isZero();
    }

    @Test
    void floatGramLossMatchesDouble() {
        INDArray f = Fixtures.uniform(27, 2, 8, 8, 8);
        INDArray t = StyleLoss.gram(Fixtures.uniform(28, 1, 8, 8, 8));
        MultiLossResult d = GRAM.computeGram(List.of(f), List.of(t));
        MultiLossResult s = GRAM.computeGram(List.of(Fixtures.f32(f)), List.of(Fixtures.f32(t)));
        assertThat(s.gradient(0).dataType()).isEqualTo(DataType.FLOAT);
        assertClose(s.value(), d.value(), 1e-4, 1e-9);
        assertAllClose(s.gradient(0), d.gradient(0), 1e-3, 1e-7);
    }

    @Test
    void pixelFormHandComputedAndBroadcast() {
        INDArray g = Nd4j.create(new double[] {1, 2, 3, 4, 0, 0, 0, 0}, new long[] {2, 1, 2, 2}, 'c');
        INDArray s = Nd4j.create(new double[] {1, 1, 1, 1}, new long[] {1, 1, 2, 2}, 'c');
        LossResult r = PIXEL.computePixel(g, s);
        // diffs image 0: 0 1 2 3, image 1: -1 -1 -1 -1 -> (0 + 1 + 4 + 9 + 4) / 8
        assertClose(r.value(), 18.0 / 8, 1e-12, 0);
        assertAllClose(r.gradient(), Nd4j.create(new double[] {0, 0.25, 0.5, 0.75, -0.25, -0.25, -0.25, -0.25},
                new long[] {2, 1, 2, 2}, 'c'), 1e-12, 0);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void gradientCheckPixel(int batch) {
        INDArray g = Fixtures.uniform(31, batch, 3, 4, 5);
        for (INDArray s : new INDArray[] {Fixtures.uniform(32, 1, 3, 4, 5), Fixtures.uniform(33, batch, 3, 4, 5)}) {
            GradientCheck.Result c = GradientCheck.check(x -> PIXEL.computePixel(x, s).value(), g,
                    PIXEL.computePixel(g, s).gradient());
            assertThat(c.failures()).as(c.summary()).isZero();
        }
    }

    @Test
    void doesNotMutateInputs() {
        INDArray f1 = Fixtures.uniform(41, 2, 3, 4, 4);
        INDArray t1 = StyleLoss.gram(Fixtures.uniform(42, 1, 3, 4, 4));
        INDArray s = Fixtures.uniform(43, 1, 3, 4, 4);
        INDArray f0 = f1.dup();
        INDArray tt0 = t1.dup();
        INDArray s0 = s.dup();
        GRAM.computeGram(List.of(f1), List.of(t1)).gradient(0).addi(5);
        StyleLoss.gram(f1);
        PIXEL.computePixel(f1, s).gradient().addi(5);
        assertUnchanged(f1, f0);
        assertUnchanged(t1, tt0);
        assertUnchanged(s, s0);
    }

    @Test
    void builderValidatesAndModeIsEnforced() {
        assertThatThrownBy(() -> StyleLoss.builder().layerWeights(1, -1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("layerWeights[1] must be finite and >= 0, found -1.0");
        assertThatThrownBy(() -> StyleLoss.builder().layerWeights(1, Double.NaN).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layerWeights[1]").hasMessageContaining("NaN");
        assertThatThrownBy(() -> StyleLoss.builder().layerWeights(0, 0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one weight > 0");
        assertThatThrownBy(() -> StyleLoss.builder().mode(StyleLoss.Mode.PIXEL).layerWeights(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only to mode GRAM");
        assertThatThrownBy(() -> StyleLoss.builder().mode(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mode");
        assertThatThrownBy(() -> PIXEL.computeGram(List.of(), List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("mode(StyleLoss.Mode.GRAM)");
        assertThatThrownBy(() -> GRAM.computePixel(Nd4j.zeros(1, 3, 2, 2), Nd4j.zeros(1, 3, 2, 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("mode(StyleLoss.Mode.PIXEL)");
        double[] w = {1, 2};
        StyleLoss l = StyleLoss.builder().layerWeights(w).build();
        w[0] = 100; // defensive copy
        assertThat(l.layerWeights()).containsExactly(1, 2);
    }

    @Test
    void rejectsBadGramInputs() {
        INDArray f = Nd4j.zeros(DataType.DOUBLE, 2, 3, 4, 4);
        assertThatThrownBy(() -> GRAM.computeGram(List.of(f), List.of(Nd4j.zeros(DataType.DOUBLE, 1, 4, 4))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("targetGrams[0] has shape [1, 4, 4] but generatedFeatures[0] has shape [2, 3, 4, 4];"
                        + " expected [1, 3, 3] or [2, 3, 3]");
        assertThatThrownBy(() -> GRAM.computeGram(List.of(f), List.of(Nd4j.zeros(DataType.DOUBLE, 3, 3, 3))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected [1, 3, 3] or [2, 3, 3]");
        assertThatThrownBy(() -> GRAM.computeGram(List.of(f, f), List.of(StyleLoss.gram(f))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("generatedFeatures has 2 layers but targetGrams has 1; they must match");
        StyleLoss three = StyleLoss.builder().layerWeights(1, 1, 1).build();
        assertThatThrownBy(() -> three.computeGram(List.of(f), List.of(StyleLoss.gram(f))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layerWeights has 3 entries").hasMessageContaining("1 feature layers");
        assertThatThrownBy(() -> StyleLoss.gram(Nd4j.zeros(3, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("features must have rank 4");
        INDArray bad = f.dup();
        bad.putScalar(new long[] {1, 2, 3, 3}, Double.NaN);
        assertThatThrownBy(() -> GRAM.computeGram(List.of(bad), List.of(StyleLoss.gram(f))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("generatedFeatures[0] contains 1 NaN and 0 infinite values (first at index [1, 2, 3, 3]");
    }

    @Test
    void rejectsBadPixelInputs() {
        assertThatThrownBy(() -> PIXEL.computePixel(Nd4j.zeros(2, 3, 4, 4), Nd4j.zeros(1, 3, 4, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("generated has shape [2, 3, 4, 4] but styleImage has shape [1, 3, 4, 5]")
                .hasMessageContaining("resize or crop");
        assertThatThrownBy(() -> PIXEL.computePixel(Nd4j.zeros(2, 3, 4, 4), Nd4j.zeros(3, 3, 4, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 3, 4, 4] or the same shape");
    }
}
