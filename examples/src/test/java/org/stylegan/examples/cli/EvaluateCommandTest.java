package org.stylegan.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stylegan.examples.cli.StyleGanCliTest.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylegan.examples.BundledImages;
import org.stylegan.examples.TestImages;
import org.stylegan.examples.cli.StyleGanCliTest.Result;
import org.stylegan.io.Images;

/**
 * {@code style-gan evaluate} in-process on 48 px images: one image as text and JSON, the evaluation-set table,
 * and the exit codes and one-line messages of bad input.
 */
class EvaluateCommandTest {
    @TempDir
    static Path tmp;
    static Path style;
    static Path photo;
    static Path recoloured;

    @BeforeAll
    static void writeImages() throws IOException {
        style = TestImages.style(tmp.resolve("style.png"), "swirls", 48);
        photo = tmp.resolve("cat.png");
        BufferedImage cat = TestImages.small(BundledImages.get(BundledImages.Kind.CONTENT, "cat").load(), 48);
        Images.writePng(cat, photo);
        // The photo with each channel shifted toward the style's blues: a pure recolouring.
        BufferedImage r = new BufferedImage(cat.getWidth(), cat.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < cat.getHeight(); y++) {
            for (int x = 0; x < cat.getWidth(); x++) {
                int p = cat.getRGB(x, y);
                int red = ((p >> 16) & 255) / 3;
                int green = ((p >> 8) & 255) / 2;
                int blue = Math.min(255, 60 + (p & 255));
                r.setRGB(x, y, red << 16 | green << 8 | blue);
            }
        }
        recoloured = tmp.resolve("recoloured.png");
        Images.writePng(r, recoloured);
    }

    @Test
    void helpListsBothForms() {
        Result top = cli("--help");
        assertThat(top.out()).contains("evaluate");
        Result help = cli("evaluate", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--style", "--content", "--output", "--set", "--outputs", "--json", "--size");
    }

    @Test
    void anUnchangedPhotoPrintsRatiosOfOne() {
        Result r = cli("evaluate", "--style", style.toString(), "--content", photo.toString(), "--output",
                photo.toString(), "--size", "64");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("content  ssim 1.000  edges 1.000", "palette  ratio 1.000",
                "texture   8 px  filter bank 1.000  patches 1.000", "texture  32 px", "score    0.000",
                "0 = the style, 1 = the untouched photo");
    }

    @Test
    void jsonNamesTheFilesAndFigures() {
        Result r = cli("evaluate", "--style", style.toString(), "--content", photo.toString(), "--output",
                recoloured.toString(), "--json", "--size", "64");
        assertThat(r.code()).as(r.err()).isZero();
        String out = r.out().trim();
        assertThat(out).startsWith("{\"style\": ").endsWith("}}")
                .contains("\"content\": ", "\"output\": ", "\"evaluation\": {\"ssim\": ", "\"paletteRatio\": ",
                        "\"patchSize\": 16", "\"score\": ");
        double palette = Double.parseDouble(out.replaceAll(".*\"paletteRatio\": ([0-9.]+).*", "$1"));
        assertThat(palette).as("palette ratio of a recolouring toward the style").isLessThan(1);
    }

    @Test
    void theSetTableHasARowPerFoundPairAMeanAndTheMissingPairs() throws IOException {
        Path set = tmp.resolve("set");
        Files.createDirectories(set.resolve("styles"));
        Files.createDirectories(set.resolve("photos"));
        Files.copy(style, set.resolve("styles/swirls.png"));
        Files.copy(style, set.resolve("styles/other.png"));
        Files.copy(photo, set.resolve("photos/cat.png"));
        Path outs = tmp.resolve("outs");
        Files.createDirectories(outs.resolve("swirls"));
        Files.copy(recoloured, outs.resolve("swirls/cat.png"));

        Result r = cli("evaluate", "--set", set.toString(), "--outputs", outs.toString(), "--size", "64");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("style/photo", "palette", "fb8", "fb32", "pd16", "score", "swirls/cat",
                "mean of 1 pair(s)", "missing outputs: 1 pair(s), skipped: other/cat");

        Result j = cli("evaluate", "--set", set.toString(), "--outputs", outs.toString(), "--size", "64", "--json");
        assertThat(j.code()).as(j.err()).isZero();
        assertThat(j.out().trim()).startsWith("{\"pairs\": [{\"style\": \"swirls\", \"photo\": \"cat\"")
                .contains("\"mean\": {", "\"missing\": [\"other/cat\"]");

        // Many missing pairs: the text names the first eight, JSON all of them.
        for (int i = 0; i < 9; i++) {
            Files.copy(style, set.resolve("styles/s" + i + ".png"));
        }
        Result many = cli("evaluate", "--set", set.toString(), "--outputs", outs.toString(), "--size", "64");
        assertThat(many.code()).as(many.err()).isZero();
        assertThat(many.out()).contains("missing outputs: 10 pair(s), skipped: other/cat, s0/cat,",
                "s6/cat, ... (2 more; --json lists all)").doesNotContain("s7/cat");
        Result manyJson = cli("evaluate", "--set", set.toString(), "--outputs", outs.toString(), "--size", "64",
                "--json");
        assertThat(manyJson.out()).contains("\"s7/cat\", \"s8/cat\"]");

        Path empty = Files.createDirectories(tmp.resolve("empty-outs"));
        Result none = cli("evaluate", "--set", set.toString(), "--outputs", empty.toString());
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).startsWith("error: no outputs found under").contains("other/cat.png");
    }

    @Test
    void usageErrorsExitWith2AndNameTheOption() {
        assertUsage(cli("evaluate"), "nothing to evaluate");
        assertUsage(cli("evaluate", "--style", style.toString(), "--set", tmp.toString()), "not both");
        assertUsage(cli("evaluate", "--style", style.toString(), "--content", photo.toString()), "missing --output");
        assertUsage(cli("evaluate", "--set", tmp.toString()), "needs both --set and --outputs");
        assertUsage(cli("evaluate", "--style", tmp.resolve("nope.png").toString(), "--content", photo.toString(),
                "--output", photo.toString()), "--style: file not found");
        assertUsage(cli("evaluate", "--style", style.toString(), "--content", photo.toString(), "--output",
                photo.toString(), "--size", "10"), "--size must be in [64, 2048], found 10");
    }

    @Test
    void badImagesAreRuntimeErrorsNamingTheFileAndTheFix() throws IOException {
        Path garbage = tmp.resolve("garbage.png");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5});
        Result unreadable = cli("evaluate", "--style", style.toString(), "--content", photo.toString(), "--output",
                garbage.toString());
        assertThat(unreadable.code()).isEqualTo(1);
        assertThat(unreadable.err()).startsWith("error: cannot read image").contains("garbage.png");
        assertThat(unreadable.err().lines().count()).isEqualTo(1);

        Result shape = cli("evaluate", "--style", style.toString(), "--content", photo.toString(), "--output",
                style.toString());
        assertThat(shape.code()).isEqualTo(1);
        assertThat(shape.err()).startsWith("error: output image is 48x48 but the content photo is")
                .contains("aspect ratio");
    }

    private static void assertUsage(Result r, String message) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ").contains(message, "Try 'style-gan evaluate --help'");
    }
}
