package org.stylegan.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The evaluator's sanity checks on 64 px synthetic pictures: the style against itself is 0, an unchanged photo is
 * 1, a recolouring moves the palette but not the texture, another instance of the style's texture moves the
 * texture; sizes, determinism and bad input.
 */
class StyleEvaluatorTest {
    static final StyleEvaluator EVAL = StyleEvaluator.builder().workingSize(64).build();
    static final BufferedImage STYLE = TestPictures.strokes(64, 64, 1);
    static final BufferedImage PHOTO = TestPictures.photo(64, 48, 2);
    static final BufferedImage SQUARE_PHOTO = TestPictures.photo(64, 64, 3);

    @Test
    void theStyleAgainstItselfScoresZeroOnPaletteAndEveryTextureFigure() {
        Evaluation e = EVAL.evaluate(STYLE, SQUARE_PHOTO, STYLE);
        assertThat(e.paletteRatio()).isCloseTo(0, within(1e-9));
        assertThat(e.texture()).hasSize(3);
        for (TextureScale t : e.texture()) {
            assertThat(t.filterBankRatio()).as("filter bank at %d px", t.patchSize()).isCloseTo(0, within(1e-9));
            assertThat(t.patchRatio()).as("patches at %d px", t.patchSize()).isCloseTo(0, within(1e-9));
            assertThat(t.contentPatchDistance()).isPositive();
        }
        assertThat(e.styleMoved()).isCloseTo(1, within(1e-9));
        // A bare style image keeps none of the photo beyond what any unrelated image shares with it.
        assertThat(e.contentKept()).isCloseTo(0, within(1e-9));
        assertThat(e.score()).isCloseTo(0, within(1e-9));
    }

    @Test
    void anUnchangedPhotoScoresOneOnEveryRatioAndFullContent() {
        Evaluation e = EVAL.evaluate(STYLE, PHOTO, PHOTO);
        assertThat(e.paletteRatio()).isCloseTo(1, within(1e-9));
        for (TextureScale t : e.texture()) {
            assertThat(t.filterBankRatio()).isCloseTo(1, within(1e-9));
            assertThat(t.patchRatio()).isCloseTo(1, within(1e-9));
        }
        assertThat(e.ssim()).isCloseTo(1, within(1e-5));
        assertThat(e.edgeF1()).isCloseTo(1, within(1e-9));
        assertThat(e.contentKept()).isCloseTo(1, within(1e-5));
        assertThat(e.styleMoved()).isCloseTo(0, within(1e-9));
        assertThat(e.score()).isCloseTo(0, within(1e-9));
    }

    @Test
    void aRecolouringMovesThePaletteButNotTheTexture() {
        BufferedImage recoloured = TestPictures.recolour(PHOTO, STYLE);
        Evaluation e = EVAL.evaluate(STYLE, PHOTO, recoloured);
        assertThat(e.paletteRatio()).isLessThan(0.35);
        for (TextureScale t : e.texture()) {
            assertThat(t.filterBankRatio()).as("filter bank at %d px", t.patchSize()).isBetween(0.75, 1.3);
            assertThat(t.patchRatio()).as("patches at %d px", t.patchSize()).isBetween(0.75, 1.3);
        }
        assertThat(e.meanTextureRatio()).isBetween(0.85, 1.15);
        // Matching onto a mostly dark palette squeezes the photo's tones, so SSIM falls, but the photo stays.
        assertThat(e.ssim()).isGreaterThan(0.3);
        assertThat(e.contentKept()).isGreaterThan(0.2);
    }

    @Test
    void aColourTransferThatKeepsLuminanceStructureLeavesTextureAlone() {
        // Per-channel histogram matching also bends the tone curve; this transfer maps luminance affinely, which
        // the texture measures (on standardised luminance) do not see, and moves only chroma and tone.
        Evaluation e = EVAL.evaluate(STYLE, PHOTO, TestPictures.colourTransfer(PHOTO, STYLE));
        assertThat(e.paletteRatio()).isLessThan(0.6);
        for (TextureScale t : e.texture()) {
            assertThat(t.filterBankRatio()).as("filter bank at %d px", t.patchSize()).isCloseTo(1, within(0.15));
            assertThat(t.patchRatio()).as("patches at %d px", t.patchSize()).isCloseTo(1, within(0.15));
        }
        assertThat(e.edgeF1()).isGreaterThan(0.8);
    }

    @Test
    void anotherInstanceOfTheStylesTextureMovesTheTexture() {
        // Same generator, other seed: the same texture, none of the same pixels.
        BufferedImage sameTexture = TestPictures.strokes(64, 64, 99);
        Evaluation e = EVAL.evaluate(STYLE, SQUARE_PHOTO, sameTexture);
        for (TextureScale t : e.texture()) {
            assertThat(t.filterBankRatio()).as("filter bank at %d px", t.patchSize()).isLessThan(0.4);
            assertThat(t.patchRatio()).as("patches at %d px", t.patchSize()).isLessThan(0.8);
        }
        assertThat(e.paletteRatio()).isLessThan(0.2);
    }

    @Test
    void aFlatOutputIsFarFromATexturedStyle() {
        // A collapsed generator's constant image must not look "closer to the style" than the photo.
        // Checked at the fine scales: at 32 px (a 16x12 image at this working size) the smooth photo is nearly
        // flat too, and the strokes average out to a flat field.
        Evaluation e = EVAL.evaluate(STYLE, PHOTO, TestPictures.flat(64, 48, 0x1d3f8a));
        for (TextureScale t : e.texture().subList(0, 2)) {
            assertThat(t.filterBankRatio()).as("filter bank at %d px", t.patchSize()).isGreaterThan(1.1);
            assertThat(t.patchRatio()).as("patches at %d px", t.patchSize()).isGreaterThan(1.1);
        }
        assertThat(e.meanTextureRatio()).isGreaterThan(1);
        assertThat(e.edgeF1()).isZero();
        assertThat(e.score()).isCloseTo(0, within(0.01));
    }

    @Test
    void referenceGivesTheSameFiguresAsEvaluateAndRunsAreDeterministic() {
        BufferedImage out = TestPictures.recolour(PHOTO, STYLE);
        Evaluation a = EVAL.evaluate(STYLE, PHOTO, out);
        StyleEvaluator.Reference ref = EVAL.reference(STYLE, PHOTO);
        assertThat(ref.evaluate(out)).isEqualTo(a);
        assertThat(ref.evaluate(out)).isEqualTo(a);
        assertThat(StyleEvaluator.builder().workingSize(64).build().evaluate(STYLE, PHOTO, out)).isEqualTo(a);
        assertThat(ref.evaluator()).isSameAs(EVAL);
    }

    @Test
    void imagesOfAnySizeAreResampledToTheWorkingSize() {
        BufferedImage out = TestPictures.recolour(PHOTO, STYLE);
        Evaluation full = EVAL.evaluate(STYLE, PHOTO, out);
        // Style at a third of the size and another aspect ratio, the output at half the photo's resolution.
        BufferedImage smallStyle = TestPictures.scaled(STYLE, 24, 30);
        Evaluation mixed = EVAL.evaluate(smallStyle, PHOTO, TestPictures.scaled(out, 32, 24));
        assertThat(mixed.texture()).hasSize(3);
        assertThat(mixed.paletteRatio()).isLessThan(0.5);
        // The half-resolution output carries the same picture: content figures stay high.
        Evaluation half = EVAL.evaluate(STYLE, PHOTO, TestPictures.scaled(out, 32, 24));
        assertThat(half.ssim()).isGreaterThan(0.5);
        assertThat(half.paletteRatio()).isCloseTo(full.paletteRatio(), within(0.1));
        // A larger photo than the working size works too.
        BufferedImage big = TestPictures.scaled(PHOTO, 128, 96);
        assertThat(EVAL.evaluate(STYLE, big, big).paletteRatio()).isCloseTo(1, within(1e-9));
    }

    @Test
    void translucentPixelsAreSeenOverWhite() {
        BufferedImage argb = new BufferedImage(64, 48, BufferedImage.TYPE_INT_ARGB);
        BufferedImage white = TestPictures.flat(64, 48, 0xffffff);
        Evaluation e = EVAL.evaluate(STYLE, white, argb); // fully transparent = white
        assertThat(e.paletteRatio()).isCloseTo(1, within(1e-6));
    }

    @Test
    void badInputNamesTheImageAndTheFix() {
        assertThatThrownBy(() -> EVAL.evaluate(null, PHOTO, PHOTO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("style image must not be null: pass the style image the output was made with");
        assertThatThrownBy(() -> EVAL.evaluate(STYLE, null, PHOTO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("content image must not be null");
        assertThatThrownBy(() -> EVAL.evaluate(STYLE, PHOTO, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("output image must not be null");
        assertThatThrownBy(() -> EVAL.evaluate(STYLE, PHOTO, TestPictures.flat(4, 3, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("output image must be at least 8x8 px, found 4x3");
        assertThatThrownBy(() -> EVAL.evaluate(STYLE, PHOTO, TestPictures.flat(48, 48, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("output image is 48x48 but the content photo is 64x48")
                .hasMessageContaining("aspect ratio");
        assertThatThrownBy(() -> EVAL.evaluate(TestPictures.flat(200, 10, 0), PHOTO, PHOTO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("style image 200x10 is too elongated")
                .hasMessageContaining("fewer scales");
    }

    @Test
    void builderRejectsBadSettingsWithTheFieldAndValue() {
        assertThatThrownBy(() -> StyleEvaluator.builder().workingSize(32).build())
                .hasMessage("workingSize must be in [64, 2048], found 32");
        assertThatThrownBy(() -> StyleEvaluator.builder().scales(0).build())
                .hasMessage("scales must be in [1, 4], found 0");
        assertThatThrownBy(() -> StyleEvaluator.builder().workingSize(64).scales(4).build())
                .hasMessageStartingWith("scales 4 needs a workingSize of at least 128, found 64");
        StyleEvaluator d = StyleEvaluator.builder().build();
        assertThat(List.of(d.workingSize(), d.scales())).containsExactly(256, 3);
        assertThat(d.seed()).isEqualTo(2026);
        assertThat(StyleEvaluator.builder().scales(2).workingSize(64).build().evaluate(STYLE, PHOTO, PHOTO)
                .texture()).extracting(TextureScale::patchSize).containsExactly(8, 16);
    }

    @Test
    void meanAveragesEveryFigureAndJsonNamesThem() {
        Evaluation a = EVAL.evaluate(STYLE, PHOTO, PHOTO);
        Evaluation b = EVAL.evaluate(STYLE, PHOTO, TestPictures.recolour(PHOTO, STYLE));
        Evaluation m = Evaluation.mean(List.of(a, b));
        assertThat(m.paletteRatio()).isCloseTo((a.paletteRatio() + b.paletteRatio()) / 2, within(1e-12));
        assertThat(m.texture().get(2).patchRatio())
                .isCloseTo((a.texture().get(2).patchRatio() + b.texture().get(2).patchRatio()) / 2, within(1e-12));
        assertThat(m.score()).isCloseTo((a.score() + b.score()) / 2, within(1e-12));
        assertThat(m.toJson()).startsWith("{\"ssim\": ").contains("\"paletteRatio\": ", "\"patchSize\": 32",
                "\"filterBankRatio\": ", "\"patchRatio\": ", "\"score\": ").endsWith("}");
        assertThat(a.toString()).contains("palette  ratio 1.000", "texture   8 px");
        assertThatThrownBy(() -> Evaluation.mean(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be empty");
    }
}
