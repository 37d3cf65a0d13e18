package org.stylegan.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.stylegan.core.StyleModel;
import org.stylegan.examples.TestImages;
import org.stylegan.examples.report.ReportLinkChecker;
import org.stylegan.io.Images;
import org.stylegan.models.PretrainedStyles;
import org.stylegan.models.testing.Thumbnails;
import org.stylegan.models.testing.TinyStyles;

/**
 * The commands around pretrained styles against a catalog of tiny packaged models ({@code --catalog}):
 * {@code styles}, {@code stylize --style}, {@code train --init}, {@code quickstart --pretrained}, and their usage
 * errors.
 */
class PretrainedStylesCliTest {
    @TempDir
    static Path tmp;
    static Path catalog;
    static Path content;
    static Path style;

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

    @BeforeAll
    static void buildCatalog() throws IOException {
        catalog = TinyStyles.catalog(tmp, "tiny", "tiny-two");
        content = TestImages.contentFolder(tmp.resolve("content"), 40);
        style = TestImages.style(tmp.resolve("style.png"), "swirls", 48);
    }

    @Test
    void stylesListsTheCatalogAsATableAndAsJson() throws IOException {
        Result table = cli("styles", "--catalog", catalog.toString());
        assertThat(table.code()).as(table.err()).isZero();
        assertThat(table.out()).contains("name", "title", "steps", "training", "score")
                .containsPattern("tiny\\s+Tiny tiny\\s+2\\s+2 s\\s+0\\.250")
                .containsPattern("tiny-two\\s+Tiny tiny-two");
        assertThat(table.out().indexOf("tiny ")).isLessThan(table.out().indexOf("tiny-two"));

        Result json = cli("styles", "--json", "--catalog", catalog.toString());
        assertThat(json.code()).as(json.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertThat(root.get("styles")).hasSize(2);
        JsonNode first = root.get("styles").get(0);
        assertThat(first.get("name").asText()).isEqualTo("tiny");
        assertThat(first.get("steps").asInt()).isEqualTo(2);
        assertThat(first.get("figures").get("score").asDouble()).isEqualTo(0.25);
        assertThat(first.get("command").get(0).asText()).isEqualTo("train");

        Result empty = cli("styles", "--catalog", tmp.resolve("content").toString());
        assertThat(empty.code()).isZero();
        assertThat(empty.out()).contains("No pretrained styles in");
        // The shipped catalog lists without error, whatever it holds.
        assertThat(cli("styles").code()).isZero();
    }

    @Test
    void stylizeWithAPretrainedStyle() throws IOException {
        Path photo = content.resolve("cat.png");
        Path out = tmp.resolve("styled/cat.png");
        Result r = cli("stylize", "--style", "tiny", "--catalog", catalog.toString(), "--input", photo.toString(),
                "--output", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        BufferedImage expected = PretrainedStyles.at(catalog).load("tiny").stylize(photo);
        Thumbnails.assertWithinOneLevel(Images.read(out), expected, "stylize --style");
    }

    @Test
    void stylizeUsageErrors() {
        String photo = content.resolve("cat.png").toString();
        String out = tmp.resolve("u.png").toString();
        assertUsage(cli("stylize", "--style", "monet", "--catalog", catalog.toString(), "--input", photo, "--output",
                out), "--style: no pretrained style named 'monet'", "known styles: tiny, tiny-two", "style-gan styles");
        assertUsage(cli("stylize", "--style", "tiny", "--model", "m.zip", "--catalog", catalog.toString(), "--input",
                photo, "--output", out), "--model and --style: give one of them, not both");
        assertUsage(cli("stylize", "--input", photo, "--output", out), "give --model MODEL.zip or --style NAME");
        assertUsage(cli("stylize", "--style", "tiny", "--catalog", tmp.resolve("nope").toString(), "--input", photo,
                "--output", out), "--catalog: folder not found");
        assertThat(tmp.resolve("u.png")).doesNotExist();
    }

    /** train --init NAME fine-tunes from the style's checkpoint: its network, whatever --filters would say. */
    @Test
    void trainFromAPretrainedStyleOrACheckpointFile() throws IOException {
        Path out = tmp.resolve("tuned.zip");
        Result r = cli("train", "--content", content.toString(), "--style", style.toString(), "--out", out.toString(),
                "--init", "tiny", "--catalog", catalog.toString(), "--steps", "1", "--size", "32", "--batch", "1",
                "--crop", "32", "--gamma", "0.3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("pretrained style 'tiny'", "Saved");
        StyleModel tuned = StyleModel.load(out);
        assertThat(tuned.generatorConfig()).isEqualTo(TinyStyles.config().build().generator());
        assertThat(tuned.config().discriminatorScales()).isEqualTo(2);

        Path checkpoint = PretrainedStyles.at(catalog).get("tiny-two").checkpoint();
        Result file = cli("train", "--content", content.toString(), "--style", style.toString(), "--out",
                tmp.resolve("tuned2.zip").toString(), "--init", checkpoint.toString(), "--steps", "1", "--size", "32",
                "--batch", "1", "--crop", "32", "--gamma", "0");
        assertThat(file.code()).as(file.err()).isZero();
        assertThat(StyleModel.load(tmp.resolve("tuned2.zip")).generatorConfig())
                .isEqualTo(TinyStyles.config().build().generator());
    }

    @Test
    void trainInitUsageErrors() {
        String[] base = {"train", "--content", content.toString(), "--style", style.toString(), "--out",
            tmp.resolve("x.zip").toString(), "--catalog", catalog.toString()};
        assertUsage(cli(concat(base, "--init", "monet")), "--init: no pretrained style named 'monet'",
                "known styles: tiny, tiny-two");
        assertUsage(cli(concat(base, "--init", tmp.resolve("gone.zip").toString())),
                "--init: checkpoint file not found", "gone.zip");
        assertUsage(cli(concat(base, "--init", "tiny", "--resume", catalog.resolve("tiny/checkpoint.sgm").toString())),
                "--init and --resume: give one of them");
        assertUsage(cli(concat(base, "--init", "tiny", "--filters", "8")),
                "--filters: with --init the networks are the checkpoint's");
        assertThat(tmp.resolve("x.zip")).doesNotExist();
    }

    @Test
    void quickstartWithAPretrainedStyleSkipsTraining() throws IOException {
        Path out = tmp.resolve("qs");
        Result r = cli("quickstart", "--pretrained", "tiny", "--catalog", catalog.toString(), "--out", out.toString(),
                "--tiny");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("no training", "grid:").doesNotContain("train [");
        ReportLinkChecker.Result page = ReportLinkChecker.requireValid(out.resolve("index.html"));
        assertThat(page.files()).extracting(p -> out.relativize(p).toString().replace('\\', '/'))
                .contains("grids/cat.png", "stylized/cat.png", "curves/losses.png");
        assertThat(StyleModel.load(out.resolve("model.zip")).generatorConfig())
                .isEqualTo(TinyStyles.config().build().generator());

        assertUsage(cli("quickstart", "--pretrained", "monet", "--catalog", catalog.toString()),
                "--pretrained: no pretrained style named 'monet'", "tiny, tiny-two");
        assertUsage(cli("quickstart", "--pretrained", "tiny", "--steps", "5", "--catalog", catalog.toString()),
                "--steps: --pretrained skips training; drop --steps");
    }

    @Test
    void aDamagedStyleIsARuntimeErrorNamingIt() throws IOException {
        Path copy = tmp.resolve("damaged");
        try (Stream<Path> walk = Files.walk(catalog)) {
            for (Path p : walk.toList()) {
                Path target = copy.resolve(catalog.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Path model = copy.resolve("tiny/model.sgm");
        byte[] b = Files.readAllBytes(model);
        b[b.length / 3] ^= 4;
        Files.write(model, b);
        Result r = cli("stylize", "--style", "tiny", "--catalog", copy.toString(), "--input",
                content.resolve("cat.png").toString(), "--output", tmp.resolve("d.png").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").contains("pretrained style 'tiny' is damaged")
                .doesNotContain("\tat ");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void assertUsage(Result r, String... messages) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ").contains(messages).contains("--help' for more information");
        assertThat(r.err()).doesNotContain("\tat ");
    }
}
