package org.stylegan.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylegan.core.StyleModel;
import org.stylegan.examples.TestImages;
import org.stylegan.examples.report.ReportLinkChecker;

/**
 * Runs every subcommand in-process with tiny settings (32 px crops, 2-3 steps, a 4-filter generator) and checks
 * exit codes and the one-line messages of usage and runtime errors.
 */
class StyleGanCliTest {
    @TempDir
    static Path tmp;
    static Path content;
    static Path style;
    static Path model;
    static Result trained;

    /** Exit code and captured streams of one run. */
    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = StyleGanCli.run(o, e, args);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String[] tinyTrain(String... more) {
        String[] base = {"train", "--content", content.toString(), "--style", style.toString(), "--steps", "2",
            "--size", "32", "--batch", "1", "--filters", "4", "--blocks", "1"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @BeforeAll
    static void trainTinyModel() throws IOException {
        content = TestImages.contentFolder(tmp.resolve("content"), 40);
        style = TestImages.style(tmp.resolve("style.png"), "swirls", 48);
        model = tmp.resolve("models/tiny.zip");
        trained = cli(tinyTrain("--out", model.toString(), "--report", tmp.resolve("report").toString(),
                "--checkpoint-every", "1"));
    }

    // ------------------------------------------------------------------------------------------ help

    @Test
    void helpOfEveryCommandListsItsOptions() {
        Result top = cli("--help");
        assertThat(top.code()).isZero();
        assertThat(top.out()).contains("quickstart", "train", "stylize");
        assertThat(cli("quickstart", "--help").out()).contains("--out", "--steps", "--style", "swirls")
                .doesNotContain("--tiny");
        assertThat(cli("train", "--help").out()).contains("--content", "--style", "--out", "--steps", "--size",
                "--batch", "--alpha", "--beta", "--gamma", "--seed", "--resume", "--report", "--checkpoint-every");
        assertThat(cli("stylize", "--help").out()).contains("--model", "--input", "--output", "--strength",
                "--preserve-colors", "--max-size", "--tile", "--brush-scale");
        assertThat(cli("help", "train").out()).contains("--content");
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageError() {
        Result none = cli();
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).startsWith("error: missing command");
        Result unknown = cli("paint");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("error: Unmatched argument", "'paint'");
    }

    // ------------------------------------------------------------------------------------------ train

    @Test
    void trainWritesModelCheckpointAndReport() throws IOException {
        assertThat(trained.code()).as(trained.err()).isZero();
        assertThat(trained.err()).isEmpty();
        assertThat(trained.out()).contains("train [", "2/2 100%", "Saved ", "Report: ");
        assertThat(model).isRegularFile();
        assertThat(tmp.resolve("models/tiny.checkpoints/checkpoint.zip")).isRegularFile();
        StyleModel m = StyleModel.load(model);
        assertThat(m.history().size()).isEqualTo(2);
        assertThat(m.generatorConfig().baseFilters()).isEqualTo(4);
        ReportLinkChecker.Result report = ReportLinkChecker.requireValid(tmp.resolve("report/index.html"));
        assertThat(report.files()).extracting(p -> p.getFileName().toString())
                .contains("losses.png", "raw-terms.png", "sample.png");
    }

    @Test
    void trainResumesFromACheckpoint() throws IOException {
        Path out = tmp.resolve("models/resumed.zip");
        Result r = cli(tinyTrain("--steps", "3", "--out", out.toString(), "--resume",
                tmp.resolve("models/tiny.checkpoints/checkpoint.zip").toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("resuming at step 2 of 3", "3/3 100%");
        assertThat(StyleModel.load(out).history().size()).isEqualTo(3);
    }

    @Test
    void seedSeedsTheInitialWeightsOfBothNetworks() throws IOException {
        Path one = tmp.resolve("seeds/one.zip");
        Path two = tmp.resolve("seeds/two.zip");
        assertThat(cli(tinyTrain("--gamma", "0.1", "--seed", "1", "--out", one.toString())).code()).isZero();
        assertThat(cli(tinyTrain("--gamma", "0.1", "--seed", "2", "--out", two.toString())).code()).isZero();
        StyleModel a = StyleModel.load(one);
        StyleModel b = StyleModel.load(two);
        assertThat(a.config().generator().seed()).isEqualTo(1);
        assertThat(b.config().generator().seed()).isEqualTo(2);
        assertThat(a.config().discriminator().seed()).isEqualTo(1);
        assertThat(b.config().discriminator().seed()).isEqualTo(2);
    }

    /** --preset sets the recipe; options given explicitly override it, the recipe knobs reach the config. */
    @Test
    void trainWithAPresetAndExplicitRecipeKnobs() throws IOException {
        Path out = tmp.resolve("preset/fast.zip");
        Result r = cli("train", "--content", content.toString(), "--style", style.toString(), "--out", out.toString(),
                "--preset", "fast", "--steps", "2", "--size", "48", "--crop", "48", "--batch", "1", "--filters", "4",
                "--blocks", "1", "--tv", "0.2", "--lr-generator", "5e-4", "--lr-discriminator", "1e-4",
                "--discriminator", "patch", "--discriminator-scales", "2", "--evaluate-every", "1",
                "--report", tmp.resolve("preset/report").toString());
        assertThat(r.code()).as(r.err()).isZero();
        StyleModel m = StyleModel.load(out);
        org.stylegan.core.train.TrainerConfig c = m.config();
        assertThat(c.gamma()).as("from the preset").isEqualTo(org.stylegan.core.Preset.GAMMA);
        assertThat(c.alpha()).isEqualTo(org.stylegan.core.Preset.ALPHA);
        assertThat(c.steps()).isEqualTo(2);
        assertThat(c.imageSize()).isEqualTo(48);
        assertThat(c.discriminatorCrop()).isEqualTo(48);
        assertThat(c.tv()).isEqualTo(0.2);
        assertThat(c.lrGenerator()).isEqualTo(5e-4);
        assertThat(c.lrDiscriminator()).isEqualTo(1e-4);
        assertThat(c.discriminatorScales()).isEqualTo(2);
        assertThat(c.evaluateEvery()).isEqualTo(1);
        assertThat(m.history().evaluations()).hasSize(2);
        assertThat(java.nio.file.Files.readString(tmp.resolve("preset/report/index.html")))
                .contains("id=\"evaluations\"");
        assertUsage(cli(tinyTrain("--out", tmp.resolve("never.zip").toString(), "--preset", "slow")),
                "preset must be fast or quality, found 'slow'");
        assertUsage(cli(tinyTrain("--out", tmp.resolve("never.zip").toString(), "--discriminator", "big")),
                "--discriminator must be patch or resnet, found 'big'");
        assertUsage(cli("quickstart", "--preset", "slow"), "--preset: preset must be fast or quality, found 'slow'");
    }

    @Test
    void trainUsageErrorsExitWith2AndNameTheOption() {
        Path out = tmp.resolve("never.zip");
        assertUsage(cli("train", "--style", style.toString(), "--out", out.toString()),
                "Missing required option: '--content=DIR'");
        assertUsage(cli("train", "--content", tmp.resolve("nope").toString(), "--style", style.toString(),
                "--out", out.toString()), "--content: folder not found: " + tmp.resolve("nope").toAbsolutePath());
        assertUsage(cli("train", "--content", content.toString(), "--style", tmp.resolve("nope.png").toString(),
                "--out", out.toString()), "--style: file not found: ");
        assertUsage(cli(tinyTrain("--out", tmp.resolve("model.bin").toString())), "--out must name a .zip file");
        assertUsage(cli(tinyTrain("--out", out.toString(), "--steps", "0")), "--steps must be >= 1, found 0");
        assertUsage(cli(tinyTrain("--out", out.toString(), "--beta", "-1")),
                "--beta must be a finite number >= 0, found -1.0");
        assertUsage(cli(tinyTrain("--out", out.toString(), "--size", "30")),
                "--size must be a multiple of 4 and >= 16, found 30");
        assertUsage(cli(tinyTrain("--out", out.toString(), "--batch", "many")),
                "Invalid value for option '--batch': 'many' is not an int");
        assertUsage(cli(tinyTrain("--out", out.toString(), "--checkpoint-every", "-1")),
                "--checkpoint-every must be >= 0, found -1");
        assertUsage(cli(tinyTrain("--out", out.toString(), "--resume", tmp.resolve("none.zip").toString())),
                "--resume: file not found: ");
        assertThat(out).doesNotExist();
    }

    @Test
    void trainWithAnUnreadableStyleImageExitsWith1AndNamesTheFile() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad-style.png"), "this is text, not a PNG");
        Result r = cli("train", "--content", content.toString(), "--style", bad.toString(), "--out",
                tmp.resolve("x.zip").toString(), "--steps", "1", "--size", "32");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: cannot read style image " + bad).contains("not a supported image");
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void verbosePrintsTheStackTrace() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad-style2.png"), "text");
        Result r = cli("train", "--verbose", "--content", content.toString(), "--style", bad.toString(), "--out",
                tmp.resolve("y.zip").toString(), "--steps", "1", "--size", "32");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").contains("\tat ");
    }

    // ------------------------------------------------------------------------------------------ stylize

    @Test
    void stylizeOneFileAndAFolder() throws IOException {
        Path photo = content.resolve("cat.png");
        Path out = tmp.resolve("styled/cat.jpg");
        Result one = cli("stylize", "--model", model.toString(), "--input", photo.toString(), "--output",
                out.toString(), "--strength", "0.7", "--preserve-colors", "--max-size", "36");
        assertThat(one.code()).as(one.err()).isZero();
        assertThat(one.out()).contains("Wrote " + out);
        var image = ImageIO.read(out.toFile());
        assertThat(Math.max(image.getWidth(), image.getHeight())).isEqualTo(36);

        Path big = tmp.resolve("styled/cat-big-strokes.png");
        Result scaled = cli("stylize", "--model", model.toString(), "--input", photo.toString(), "--output",
                big.toString(), "--brush-scale", "0.5");
        assertThat(scaled.code()).as(scaled.err()).isZero();
        var source = ImageIO.read(photo.toFile());
        var scaledImage = ImageIO.read(big.toFile());
        assertThat(scaledImage.getWidth()).as("output at the photo's size").isEqualTo(source.getWidth());
        assertThat(scaledImage.getHeight()).isEqualTo(source.getHeight());

        Path folder = tmp.resolve("styled-all");
        Result all = cli("stylize", "--model", model.toString(), "--input", content.toString(), "--output",
                folder.toString(), "--tile", "64");
        assertThat(all.code()).as(all.err()).isZero();
        assertThat(all.out()).contains("Stylized 4 image(s)");
        try (var files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("astronaut.png",
                    "cat.png", "coffee.png", "rocket.png");
        }
    }

    @Test
    void stylizeUsageErrorsExitWith2() {
        String photo = content.resolve("cat.png").toString();
        String out = tmp.resolve("u.png").toString();
        assertUsage(cli("stylize", "--input", photo, "--output", out), "give --model MODEL.zip or --style NAME");
        assertUsage(cli("stylize", "--model", tmp.resolve("none.zip").toString(), "--input", photo, "--output", out),
                "--model: file not found: ");
        assertUsage(cli("stylize", "--model", model.toString(), "--input", tmp.resolve("no.png").toString(),
                "--output", out), "--input: file or folder not found: ");
        assertUsage(cli("stylize", "--model", model.toString(), "--input", photo, "--output", out, "--strength", "2"),
                "--strength must be in [0, 1], found 2.0");
        assertUsage(cli("stylize", "--model", model.toString(), "--input", photo, "--output", out, "--tile", "50"),
                "--tile must be 0 (off) or a multiple of 4 >= 64, found 50");
        assertUsage(cli("stylize", "--model", model.toString(), "--input", photo, "--output", out, "--brush-scale",
                "8"), "--brush-scale must be in [0.25, 4.0] (1 = strokes as trained), found 8.0");
        assertUsage(cli("stylize", "--model", model.toString(), "--input", photo, "--output",
                tmp.resolve("u.gif").toString()), "--output must end in .png, .jpg or .jpeg");
        assertUsage(cli("stylize", "--model", model.toString(), "--input", photo, "--output", out, "--max-size", "-3"),
                "--max-size must be >= 0, found -3");
        assertThat(tmp.resolve("u.png")).doesNotExist();
    }

    @Test
    void stylizeRuntimeErrorsExitWith1WithOneLine() throws IOException {
        Path truncated = tmp.resolve("truncated.png");
        byte[] png = Files.readAllBytes(content.resolve("cat.png"));
        Files.write(truncated, java.util.Arrays.copyOf(png, png.length / 3));
        Result r = cli("stylize", "--model", model.toString(), "--input", truncated.toString(), "--output",
                tmp.resolve("t.png").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: cannot read image " + truncated + ": ").contains("truncated");
        assertThat(r.err().lines().count()).isEqualTo(1);

        Path notAModel = Files.writeString(tmp.resolve("fake.zip"), "not a zip");
        Result m = cli("stylize", "--model", notAModel.toString(), "--input", content.resolve("cat.png").toString(),
                "--output", tmp.resolve("t.png").toString());
        assertThat(m.code()).isEqualTo(1);
        assertThat(m.err()).startsWith("error: cannot load model: ").contains("fake.zip");
        assertThat(m.err().lines().count()).isEqualTo(1);
        assertThat(tmp.resolve("t.png")).doesNotExist();
    }

    // ------------------------------------------------------------------------------------------ quickstart

    @Test
    void quickstartWithTinySettingsWritesAValidReport() throws IOException {
        Path out = tmp.resolve("qs");
        Result r = cli("quickstart", "--out", out.toString(), "--steps", "2", "--style", "composition", "--tiny");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("2/2 100%", "grid:", "Open file:");
        ReportLinkChecker.Result page = ReportLinkChecker.requireValid(out.resolve("index.html"));
        assertThat(page.files()).extracting(p -> out.relativize(p).toString().replace('\\', '/'))
                .contains("grids/cat.png", "stylized/cat.png", "curves/losses.png", "curves/raw-terms.png");
        assertThat(out.resolve("model.zip")).isRegularFile();
    }

    @Test
    void quickstartUsageErrors() {
        assertUsage(cli("quickstart", "--style", "monet"),
                "--style: no bundled style image named 'monet'; choose from composition, stained_glass, swirls");
        assertUsage(cli("quickstart", "--steps", "0"), "--steps must be >= 1, found 0");
        assertUsage(cli("quickstart", "--train-seconds", "-5"), "--train-seconds must be >= 0, found -5");
        assertUsage(cli("quickstart", "--colour"), "Unknown option: '--colour'");
    }

    private static void assertUsage(Result r, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ").contains(message).contains("--help' for more information");
        assertThat(r.err()).doesNotContain("\tat ");
        assertThat(r.out()).doesNotContain("train [");
    }
}
