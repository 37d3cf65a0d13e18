package org.stylegan.models.build;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylegan.io.Images;
import org.stylegan.io.ModelArchive;
import org.stylegan.models.PretrainedStyles;
import org.stylegan.models.StyleCatalog;
import org.stylegan.models.StyleManifest;
import org.stylegan.models.testing.Thumbnails;
import org.stylegan.models.testing.TinyStyles;

/** What the packager stores, re-packaging an entry, its command line, and the mistakes it refuses. */
class StylePackagerTest {
    @TempDir
    static Path tmp;
    static TinyStyles.Run run;

    @BeforeAll
    static void train() throws IOException {
        run = TinyStyles.train(tmp.resolve("run"));
    }

    /**
     * Both archives are stored with 16-bit graphs, smaller; the checkpoint keeps the generator's optimizer state and,
     * unless asked to, drops the discriminators' (a fresh Adam: all zero).
     */
    @Test
    void storesEveryGraphAtHalfPrecisionAndKeepsTheRest() throws IOException {
        Path catalog = tmp.resolve("half");
        StylePackager.Result r = StylePackager.pack(TinyStyles.request(run, catalog, "tiny").build());
        assertThat(r.archives()).extracting(StylePackager.Stored::file)
                .containsExactly(StyleCatalog.MODEL_FILE, StyleCatalog.CHECKPOINT_FILE);
        for (StylePackager.Stored s : r.archives()) {
            assertThat(s.storedBytes()).as(s.file()).isLessThan(s.sourceBytes());
        }
        ModelArchive source = ModelArchive.load(run.checkpoint());
        ModelArchive stored = ModelArchive.load(r.entry().resolve(StyleCatalog.CHECKPOINT_FILE));
        assertThat(stored.names()).containsExactlyElementsOf(source.names());
        assertThat(stored.manifest()).isEqualTo(source.manifest());
        for (String g : List.of("generator", "discriminator", "discriminator_1")) {
            assertThat(stored.precision(g)).as(g).isEqualTo(ModelArchive.Precision.HALF);
            assertThat(stored.graph(g, true).getUpdater().getStateViewArray().length())
                    .isEqualTo(source.graph(g, true).getUpdater().getStateViewArray().length());
            double kept = stored.graph(g, true).getUpdater().getStateViewArray().amaxNumber().doubleValue();
            double was = source.graph(g, true).getUpdater().getStateViewArray().amaxNumber().doubleValue();
            assertThat(kept).as(g).isCloseTo(g.equals("generator") ? was : 0.0,
                    org.assertj.core.data.Offset.offset(0.01 * was));
        }
        ModelArchive withState = ModelArchive.load(StylePackager.pack(TinyStyles.request(run, tmp.resolve("d-state"),
                "tiny").discriminatorOptimizerState(true).build()).entry().resolve(StyleCatalog.CHECKPOINT_FILE));
        assertThat(withState.graph("discriminator", true).getUpdater().getStateViewArray().amaxNumber().doubleValue())
                .isPositive();
        assertThat(stored.json("history")).isEqualTo(source.json("history"));
        assertThat(ModelArchive.load(r.entry().resolve(StyleCatalog.MODEL_FILE)).precision("generator"))
                .isEqualTo(ModelArchive.Precision.HALF);
        // The style image was a PNG: stored as a JPEG.
        byte[] jpeg = Files.readAllBytes(r.entry().resolve(StyleCatalog.STYLE_IMAGE_FILE));
        assertThat(jpeg[0] & 0xff).isEqualTo(0xff);
        assertThat(jpeg[1] & 0xff).isEqualTo(0xd8);
    }

    @Test
    void floatStorageKeepsTheGraphsAsTrained() throws IOException {
        Path catalog = tmp.resolve("float");
        StylePackager.Result r = StylePackager.pack(TinyStyles.request(run, catalog, "tiny")
                .precision(ModelArchive.Precision.FLOAT).build());
        assertThat(ModelArchive.load(r.entry().resolve(StyleCatalog.MODEL_FILE)).graph("generator").params())
                .isEqualTo(ModelArchive.load(run.model()).graph("generator").params());
        Thumbnails.assertReproduced(PretrainedStyles.at(catalog).get("tiny"));
    }

    /** A second package of the same name replaces the entry and keeps one index line; a new name is appended. */
    @Test
    void repackagingReplacesTheEntryAndKeepsTheIndexOrder() throws IOException {
        Path catalog = tmp.resolve("again");
        StylePackager.pack(TinyStyles.request(run, catalog, "b").build());
        StylePackager.pack(TinyStyles.request(run, catalog, "a").build());
        StylePackager.pack(TinyStyles.request(run, catalog, "b").title("B again").trainingSeconds(9).build());
        StyleCatalog c = PretrainedStyles.at(catalog);
        assertThat(c.names()).containsExactly("b", "a");
        assertThat(c.get("b").manifest().title()).isEqualTo("B again");
        c.get("b").verify();
        Thumbnails.assertReproduced(c.get("b"));
    }

    @Test
    void refusesMismatchedInputs() throws IOException {
        Path catalog = tmp.resolve("refuse");
        assertThatThrownBy(() -> StylePackager.pack(TinyStyles.request(run, catalog, "x").model(run.checkpoint())
                .build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a CHECKPOINT archive, expected a MODEL");
        assertThatThrownBy(() -> StylePackager.pack(TinyStyles.request(run, catalog, "x").checkpoint(run.model())
                .build())).hasMessageContaining("is a MODEL archive, expected a CHECKPOINT");
        StylePackager.pack(TinyStyles.request(run, catalog, "x").build());
        Path other = tmp.resolve("other.jpg");
        Images.writeJpeg(TinyStyles.photos(2, 50).get(1), other, 0.9f);
        assertThatThrownBy(() -> StylePackager.pack(TinyStyles.request(run, catalog, "y").thumbnailPhoto(other)
                .build())).hasMessageContaining("differs from the catalog's")
                .hasMessageContaining("thumbnail-photo.jpg");
        assertThat(PretrainedStyles.at(catalog).names()).containsExactly("x");
        assertThatThrownBy(() -> TinyStyles.request(run, catalog, "Bad Name").build())
                .hasMessageContaining("name must match");
        assertThatThrownBy(() -> TinyStyles.request(run, catalog, "x").command(List.of("stylize")).build())
                .hasMessageContaining("starting with 'train'");
        assertThatThrownBy(() -> TinyStyles.request(run, catalog, "x").model(tmp.resolve("none.zip")).build())
                .hasMessageContaining("model: file not found").hasMessageContaining("none.zip");
    }

    @Test
    void commandLinePackagesPrintsTheRecipeAndReusesAnEntry() throws IOException {
        Path catalog = tmp.resolve("cli");
        Result first = run("--catalog", catalog.toString(), "--name", "cli", "--model", run.model().toString(),
                "--checkpoint", run.checkpoint().toString(), "--title", "CLI", "--description", "From the CLI.",
                "--style-image", run.styleImage().toString(), "--licence", "CC0", "--thumbnail-photo",
                run.photo().toString(), "--thumbnail-size", "40", "--training-seconds", "12", "--machine", "test",
                "--", "train", "--content", "photos", "--style", "s.png", "--out", "m.zip", "--preset", "fast");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("Packaged 'cli'", "model.sgm", "checkpoint.sgm", "bytes");
        StyleManifest m = PretrainedStyles.at(catalog).get("cli").manifest();
        assertThat(m.recipe().preset()).isEqualTo("fast");
        assertThat(m.thumbnail().maxSize()).isEqualTo(40);

        Result printed = run("--print-command", "--catalog", catalog.toString(), "--name", "cli");
        assertThat(printed.code()).isZero();
        assertThat(printed.out().split("\0")).containsExactly("train", "--content", "photos", "--style", "s.png",
                "--out", "m.zip", "--preset", "fast");

        // A retrained model: only the run's own inputs; the rest comes from the entry.
        Result again = run("--catalog", catalog.toString(), "--name", "cli", "--model", run.model().toString(),
                "--checkpoint", run.checkpoint().toString(), "--training-seconds", "13", "--machine", "test 2");
        assertThat(again.code()).as(again.err()).isZero();
        StyleManifest m2 = PretrainedStyles.at(catalog).get("cli").manifest();
        assertThat(m2.trainingSeconds()).isEqualTo(13);
        assertThat(m2.title()).isEqualTo("CLI");
        assertThat(m2.recipe()).isEqualTo(m.recipe());
        assertThat(m2.sha256(StyleCatalog.STYLE_IMAGE_FILE)).isEqualTo(m.sha256(StyleCatalog.STYLE_IMAGE_FILE));

        Result usage = run("--catalog", catalog.toString(), "--name", "new", "--model", run.model().toString());
        assertThat(usage.code()).isEqualTo(2);
        assertThat(usage.err()).startsWith("error: ").contains("title must be set");
        assertThat(run("--colour", "red").err()).contains("unknown option '--colour'", "usage:");
    }

    @Test
    void readsFiguresFromTheEvaluateCommandsJson() throws IOException {
        Path json = tmp.resolve("figures.json");
        Files.writeString(json, "{\"pairs\": [], \"mean\": {\"ssim\": 0.5, \"edgeF1\": 0.6, \"texture\": ["
                + "{\"patchSize\": 8, \"filterBankRatio\": 0.7, \"patchRatio\": 0.8}], \"score\": 0.2}, "
                + "\"missing\": []}");
        assertThat(StylePackager.readFigures(json)).containsExactly(entry("ssim", 0.5), entry("edgeF1", 0.6),
                entry("fb8", 0.7), entry("pd8", 0.8), entry("score", 0.2));
        Files.writeString(json, "{\"score\": 0.3}");
        assertThat(StylePackager.readFigures(json)).containsExactly(entry("score", 0.3));
        Files.writeString(json, "[]");
        assertThatThrownBy(() -> StylePackager.readFigures(json)).hasMessageContaining("name -> number");
    }

    @Test
    void presetComesFromTheCommand() {
        assertThat(StylePackager.presetOf(List.of("train", "--preset", "fast", "--preset=quality")))
                .isEqualTo("quality");
        assertThat(StylePackager.presetOf(List.of("train", "--steps", "3"))).isNull();
    }

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = StylePackager.run(o, e, args);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
