package org.stylegan.losses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stylegan.losses.testing.NdAssertions.assertAllClose;
import static org.stylegan.losses.testing.NdAssertions.assertClose;
import static org.stylegan.losses.testing.NdAssertions.assertUnchanged;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.losses.testing.GradientCheck;

class WeightedLossTest {

    @Test
    void weightsAreValidated() {
        assertThatThrownBy(() -> new LossWeights(1, -1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("beta must be finite and >= 0, found -1.0");
        assertThatThrownBy(() -> new LossWeights(Double.NaN, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("alpha must be finite and >= 0, found NaN");
        assertThatThrownBy(() -> LossWeights.DEFAULTS.withGamma(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gamma");
        assertThatThrownBy(() -> LossWeights.DEFAULTS.withTv(-1e-4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tv must be finite and >= 0");
        assertThat(LossWeights.of(1, 10)).isEqualTo(new LossWeights(1, 10, 0, 0));
    }

    @Test
    void reportsEachTermAndSumsGradientsOfTheSameInput() {
        INDArray gen = Fixtures.uniform(71, 2, 3, 8, 8);
        INDArray content = Fixtures.uniform(72, 2, 3, 8, 8);
        INDArray style = Fixtures.uniform(73, 1, 3, 8, 8);
        INDArray logits = Fixtures.uniform(74, 2, 1, 2, 2);
        LossWeights w = new LossWeights(2, 10, 0.5, 0.25);
        LossResult c = ContentLoss.pixel().compute(gen, content);
        MultiLossResult s = StyleLoss.builder().build().computeGram(List.of(gen), List.of(StyleLoss.gram(style)));
        LossResult a = AdversarialLoss.bce().compute(logits, true);
        LossResult t = TotalVariationLoss.l1().compute(gen);
        LossBreakdown b = WeightedLoss.with(w).content(c).style(s).adversarial(a).tv(t).build();

        assertThat(b.terms()).containsOnlyKeys("content", "style", "adversarial", "tv");
        assertThat(b.terms().keySet()).containsExactly("content", "style", "adversarial", "tv");
        assertThat(b.terms().get("style")).isEqualTo(s.value());
        assertClose(b.weightedTerms().get("content"), 2 * c.value(), 1e-15, 0);
        assertClose(b.weightedTerms().get("tv"), 0.25 * t.value(), 1e-15, 0);
        assertClose(b.total(), 2 * c.value() + 10 * s.value() + 0.5 * a.value() + 0.25 * t.value(), 1e-12, 0);
        assertAllClose(b.weightedGradient("adversarial"), a.gradient().mul(0.5), 1e-15, 0);

        // Content, style (single layer on the image itself) and TV are all taken w.r.t. gen: sum them
        // and compare with a finite-difference check of the weighted total as a function of gen.
        INDArray summed = b.sumWeightedGradients("content", "tv", "style");
        INDArray styleGram = StyleLoss.gram(style);
        GradientCheck.Result r = GradientCheck.check(x -> 2 * ContentLoss.pixel().compute(x, content).value()
                + 10 * StyleLoss.builder().build().computeGram(List.of(x), List.of(styleGram)).value()
                + 0.25 * TotalVariationLoss.l1().compute(x).value(), gen, summed);
        assertThat(r.failures()).as(r.summary()).isZero();
    }

    @Test
    void zeroWeightTermIsReportedWithZeroGradientAndResultsAreUntouched() {
        INDArray gen = Fixtures.uniform(75, 1, 3, 4, 4);
        LossResult t = TotalVariationLoss.l1().compute(gen);
        INDArray before = t.gradient().dup();
        LossBreakdown b = WeightedLoss.with(LossWeights.of(1, 1)).tv(t).build();
        assertThat(b.terms().get("tv")).isEqualTo(t.value());
        assertThat(b.weightedTerms().get("tv")).isZero();
        assertThat(b.total()).isZero();
        assertAllClose(b.weightedGradient("tv"), Nd4j.zerosLike(gen), 0, 0);
        assertUnchanged(t.gradient(), before);
    }

    @Test
    void owningCompositionScalesTheResultsInPlaceAndCloseFreesThem() {
        INDArray gen = Fixtures.uniform(76, 2, 3, 8, 8);
        INDArray content = Fixtures.uniform(77, 2, 3, 8, 8);
        INDArray style = Fixtures.uniform(78, 1, 3, 8, 8);
        LossWeights w = new LossWeights(2, 10, 0, 0.25);
        MultiLossResult s = StyleLoss.builder().build().computeGram(List.of(gen), List.of(StyleLoss.gram(style)));
        LossResult c = ContentLoss.pixel().compute(gen, content);
        LossResult t = TotalVariationLoss.l1().compute(gen);
        LossBreakdown copied = WeightedLoss.with(w).content(c).style(s).tv(t).build();

        LossBreakdown owned = WeightedLoss.owning(w).content(c).style(s).tv(t).build();
        assertThat(owned.weightedGradient("content")).isSameAs(c.gradient());
        assertThat(owned.weightedGradients("style").get(0)).isSameAs(s.gradient(0));
        assertThat(owned.terms()).isEqualTo(copied.terms());
        assertThat(owned.weightedTerms()).isEqualTo(copied.weightedTerms());
        assertThat(owned.total()).isEqualTo(copied.total());
        for (String term : List.of("content", "style", "tv")) {
            assertAllClose(owned.weightedGradients(term).get(0), copied.weightedGradients(term).get(0), 0, 0);
        }
        owned.close();
        owned.close();   // idempotent
        assertThat(c.gradient().wasClosed()).isTrue();
        assertThat(s.gradient(0).wasClosed()).isTrue();
        assertThat(owned.total()).isEqualTo(copied.total());
    }

    @Test
    void misuseIsReported() {
        LossResult r = new LossResult(1, Nd4j.zeros(1, 3, 4, 4));
        LossResult other = new LossResult(1, Nd4j.zeros(1, 3, 4, 5));
        assertThatThrownBy(() -> WeightedLoss.with(LossWeights.DEFAULTS).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no term was added");
        assertThatThrownBy(() -> WeightedLoss.with(LossWeights.DEFAULTS).content(r).content(r))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("term 'content' was already added; add each term once");
        assertThatThrownBy(() -> WeightedLoss.with(LossWeights.DEFAULTS).term("x", -2, r))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("weight of term 'x' must be finite and >= 0, found -2.0");
        LossBreakdown b = WeightedLoss.with(LossWeights.DEFAULTS).content(r).tv(other)
                .style(new MultiLossResult(0, List.of(0.0, 0.0), List.of(Nd4j.zeros(1, 2), Nd4j.zeros(1, 2)))).build();
        assertThatThrownBy(() -> b.sumWeightedGradients("content", "tv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gradient of 'tv' has shape [1, 3, 4, 5] but gradient of 'content' has shape [1, 3, 4, 4]");
        assertThatThrownBy(() -> b.weightedGradient("style"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 2 gradients");
        assertThatThrownBy(() -> b.weightedGradient("adversarial"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no term named 'adversarial'");
        assertThat(b.weightedGradients("style")).hasSize(2);
    }
}
