package org.stylegan.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylegan.core.net.GeneratorConfig;
import org.stylegan.core.net.Normalization;
import org.stylegan.core.net.Padding;
import org.stylegan.core.StyleModel;
import org.stylegan.core.StyleTransfer;
import org.stylegan.core.net.Upsampling;
import org.stylegan.core.train.TrainerConfig;
import org.stylegan.examples.report.ReportLinkChecker;

/** Runs each example and the quick start pipeline with tiny settings (32 px, 2-3 steps, a 4-filter generator). */
class ExamplesTest {
    static final GeneratorConfig TINY = new GeneratorConfig(4, 2, 1, Normalization.INSTANCE, Padding.REFLECTION,
            Upsampling.NEAREST_CONV, 42);

    static StyleTransfer.Builder tiny(int steps) {
        return StyleTransfer.builder().alpha(1).beta(10).steps(steps).imageSize(32).batchSize(1).styleSize(48)
                .discriminatorCrop(32).generator(TINY);
    }

    @Test
    void fiveLineExampleTrainsStylizesAndSaves(@TempDir Path tmp) throws IOException {
        Path photos = TestImages.contentFolder(tmp.resolve("photos"), 40);
        Path style = TestImages.style(tmp.resolve("style.png"), "swirls", 48);
        FiveLineExample.Result r = FiveLineExample.run(tiny(2), photos, style, photos.resolve("cat.png"),
                tmp.resolve("out"));
        var cat = ImageIO.read(photos.resolve("cat.png").toFile());
        assertThat(r.stylized().getWidth()).isEqualTo(cat.getWidth());
        assertThat(r.stylized().getHeight()).isEqualTo(cat.getHeight());
        assertThat(ImageIO.read(tmp.resolve("out/stylized.png").toFile())).isNotNull();
        assertThat(StyleModel.load(tmp.resolve("out/model.zip")).history().size()).isEqualTo(2);
        assertThat(r.model().config().alpha()).isEqualTo(1.0);
        assertThat(r.model().config().beta()).isEqualTo(10.0);
    }

    @Test
    void listenerExampleLogsEveryStepAndWritesPreviews(@TempDir Path tmp) throws IOException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        TrainingWithListenerExample.Result r = TrainingWithListenerExample.run(tiny(3).gamma(0), tmp,
                new PrintStream(console, true, StandardCharsets.UTF_8));
        assertThat(r.log()).hasSize(3);
        assertThat(r.log().get(0)).startsWith("step    1/3  total ").contains("content", "style");
        // steps / 4 rounds down to 1, so every step writes a preview
        assertThat(r.previews()).extracting(p -> p.getFileName().toString())
                .containsExactly("preview-00001.png", "preview-00002.png", "preview-00003.png");
        for (Path p : r.previews()) {
            assertThat(ImageIO.read(p.toFile()).getWidth()).isEqualTo(32);
        }
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("done: 3 steps, 3 previews");
        assertThat(r.model().history().size()).isEqualTo(3);
    }

    @Test
    void lowLevelExampleStepsTheTrainerAndMeasuresStyleDistance() {
        TrainerConfig config = TrainerConfig.builder().steps(3).imageSize(32).batchSize(1).styleSize(48)
                .discriminatorCrop(32).gamma(0.1).generator(TINY).build();
        LowLevelExample.Result r = LowLevelExample.run(config);
        assertThat(r.totals()).hasSize(3).allSatisfy(t -> assertThat(t).isFinite().isPositive());
        assertThat(r.styleDistanceBefore()).isFinite().isPositive();
        assertThat(r.styleDistanceAfter()).isFinite().isPositive().isNotEqualTo(r.styleDistanceBefore());
    }

    @Test
    void stylizeFolderExampleKeepsTheLayoutAndLimitsTheSize(@TempDir Path tmp) throws IOException {
        Path in = TestImages.contentFolder(tmp.resolve("in/nested"), 40).getParent();
        Path model = tmp.resolve("model.zip");
        tiny(1).gamma(0).build().fit(in, TestImages.style(tmp.resolve("s.png"), "composition", 48)).save(model);
        List<Path> written = StylizeFolderExample.run(model, in, tmp.resolve("out"), 36);
        assertThat(written).hasSize(4).allSatisfy(p -> assertThat(p).startsWith(tmp.resolve("out/nested")));
        for (Path p : written) {
            var im = ImageIO.read(p.toFile());
            assertThat(Math.max(im.getWidth(), im.getHeight())).isEqualTo(36);
        }
    }

    /** The quick start trains the FAST preset (the GAN on); --preset none keeps the earlier gamma-0 recipe. */
    @Test
    void quickstartDefaultsToTheFastPresetWithTheGanOn(@TempDir Path tmp) {
        Quickstart.Settings s = Quickstart.Settings.defaults(tmp);
        assertThat(s.preset()).isEqualTo(org.stylegan.core.Preset.FAST);
        var c = s.trainer().build().config();
        assertThat(c.adversarialActive()).isTrue();
        assertThat(c.gamma()).isEqualTo(org.stylegan.core.Preset.GAMMA);
        assertThat(c.photoSize()).isEqualTo(org.stylegan.core.Preset.PHOTO_SIZE);
        assertThat(c.discriminatorScales()).isEqualTo(org.stylegan.core.Preset.DISCRIMINATOR_SCALES);
        var hand = Quickstart.Settings.handRecipe(tmp).trainer().build().config();
        assertThat(hand.gamma()).isZero();
        assertThat(hand.photoSize()).isZero();
    }

    @Test
    void quickstartPipelineWritesEveryOutputAndAValidPage(@TempDir Path tmp) throws IOException {
        Quickstart.Settings s = Quickstart.Settings.defaults(tmp.resolve("qs")).withSteps(2).withImageSize(32)
                .withHoldOut(List.of("cat", "rocket")).withSizes(TINY, 32, 48, 32).withWeights(1, 10, 0.1, 0.02);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Quickstart.Result r = Quickstart.run(s, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertThat(r.stylized()).extracting(p -> p.getFileName().toString()).containsExactly("cat.png", "rocket.png");
        assertThat(r.grids()).hasSize(2).allSatisfy(p -> assertThat(p).isRegularFile());
        assertThat(r.curves()).hasSize(2);
        assertThat(r.history().size()).isEqualTo(2);
        assertThat(r.history().termNames()).contains("content", "style", "adversarial", "tv");
        ReportLinkChecker.Result page = ReportLinkChecker.requireValid(r.index());
        assertThat(page.files()).containsAll(r.stylized()).containsAll(r.grids()).containsAll(r.curves());
        String html = Files.readString(r.index());
        assertThat(html).contains("held out", "alpha / beta / gamma / tv", "training (2 steps)");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("held out: cat, rocket");
        var stylized = ImageIO.read(r.stylized().get(0).toFile());
        assertThat(Math.max(stylized.getWidth(), stylized.getHeight())).isEqualTo(48);
    }

    @Test
    void quickstartStopsAtItsTimeBudgetAndSaysSo(@TempDir Path tmp) throws IOException {
        Quickstart.Settings s = Quickstart.Settings.defaults(tmp.resolve("qs")).withSteps(100_000).withImageSize(32)
                .withSizes(TINY, 32, 48, 32).withWeights(1, 10, 0, 0.02).withTrainSeconds(1);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Quickstart.Result r = Quickstart.run(s, new PrintStream(log, true, StandardCharsets.UTF_8));
        int ran = r.history().size();
        assertThat(ran).isBetween(1, 99_999);
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("stopped after " + ran + " of 100000 steps");
        assertThat(Files.readString(r.index())).contains("Training stopped at the time budget (1 s)");
        assertThat(StyleModel.load(r.model()).config().steps()).isEqualTo(ran);
    }

    @Test
    void quickstartSettingsRejectBadNames() {
        Path out = Path.of("unused");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Quickstart.Settings.defaults(out).withStyle("monet"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("available: composition");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Quickstart.Settings.defaults(out)
                        .withHoldOut(List.of("astronaut", "cat", "coffee", "rocket")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaves no photo for training");
    }
}
