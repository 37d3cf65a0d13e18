package org.stylegan.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.stylegan.core.StyleModel;
import org.stylegan.core.train.TrainerConfig;
import org.stylegan.models.testing.Thumbnails;

/**
 * Every style shipped on the class path: its files are there and match the manifest's checksums, its model loads
 * with the generator its recipe names, and it reproduces its thumbnail from the catalog's photo within one 8-bit
 * level. One test per style; and the artifact ships the six styles of the evaluation set, each with its figures.
 */
class ShippedStylesTest {
    @Test
    void theSixStylesOfTheEvaluationSetShipWithTheirFigures() {
        assertThat(PretrainedStyles.names())
                .containsExactly("impasto", "mosaic", "hatching", "cutouts", "pointillism", "woodcut");
        for (PretrainedStyle s : PretrainedStyles.list()) {
            assertThat(s.manifest().figures()).as(s.name()).containsKeys("ssim", "paletteRatio", "fb8", "pd32", "score");
            assertThat(s.manifest().recipe().preset()).as(s.name()).isEqualTo("quality");
        }
    }

    @TestFactory
    Stream<DynamicTest> eachShippedStyleLoadsMatchesItsManifestAndReproducesItsThumbnail() {
        List<String> names = PretrainedStyles.names();
        return names.stream().map(name -> DynamicTest.dynamicTest(name, () -> check(name)));
    }

    private static void check(String name) throws IOException {
        PretrainedStyle style = PretrainedStyles.get(name);
        StyleManifest m = style.manifest();
        assertThat(m.name()).isEqualTo(name);
        style.verify();   // every file present, every SHA-256 as recorded
        StyleModel model = style.load();
        TrainerConfig recipe = m.recipe().config();
        assertThat(model.generatorConfig()).as(name + ": the model's generator against the recipe's")
                .isEqualTo(recipe.generator());
        assertThat(model.config().generator()).isEqualTo(recipe.generator());
        assertThat(m.recipe().command()).as(name + ": recipe command").startsWith("train");
        assertThat(m.steps()).isPositive();
        assertThat(m.thumbnail().photo()).isEqualTo(StyleCatalog.THUMBNAIL_PHOTO);
        Thumbnails.assertReproduced(style);
    }
}
