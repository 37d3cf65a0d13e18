package org.stylegan.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.stylegan.core.train.TrainFixtures;
import org.stylegan.io.ImageReadException;
import org.stylegan.io.ModelFormatException;
import org.stylegan.io.testing.BadImageCorpus;
import org.stylegan.io.testing.BadImageCorpus.Case;
import org.stylegan.core.net.Generator;

/**
 * Bad inputs and bad model files through {@link StyleModel}: every case ends in its documented outcome (an
 * image, an {@link ImageReadException} or {@link IllegalArgumentException} naming the problem, a
 * {@link ModelFormatException} naming the file), never a hang or another exception.
 */
class StyleModelReliabilityTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    static Path shared;
    static StyleModel model;
    static Path modelFile;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainTinyModel() throws IOException {
        model = StyleTransfer.builder().config(TrainFixtures.tiny().steps(1).build()).build()
                .fit(TrainFixtures.contentImages(2, 32), TrainFixtures.styleImage(32));
        modelFile = shared.resolve("model.sgm");
        model.save(modelFile);
    }

    static Stream<Case> corpus() {
        return BadImageCorpus.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void stylizeFileGivesTheDocumentedOutcome(Case c) {
        Path file = c.write(tmp);
        int min = model.generatorConfig().minimumSize();
        assertTimeoutPreemptively(LIMIT, () -> {
            if (c.outcome() == BadImageCorpus.Outcome.REFUSED) {
                assertThatThrownBy(() -> model.stylize(file)).isInstanceOf(ImageReadException.class)
                        .hasMessageContaining(file.toString());
            } else if (c.width() < min || c.height() < min) {
                assertThatThrownBy(() -> model.stylize(file)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(file.toString()).hasMessageContaining("too small")
                        .hasMessageContaining(">= " + min);
            } else {
                BufferedImage out = model.stylize(file);
                assertThat(out.getWidth()).isEqualTo(c.width());
                assertThat(out.getHeight()).isEqualTo(c.height());
            }
        });
    }

    @Test
    void tinyImagesWorkWhenUpscaledOrTiled() {
        assertThat(model.generatorConfig().minimumSize()).isGreaterThan(1);
        assertThatThrownBy(() -> model.stylize(BadImageCorpus.photo(1, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1x1 is too small");
        BufferedImage odd = BadImageCorpus.photo(model.generatorConfig().minimumSize(), 37);
        assertThat(model.stylize(odd).getHeight()).isEqualTo(37);
    }

    // ------------------------------------------------------------------------------------------ model files

    record BadModel(String name, BiFunction<Path, Path, Path> make, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadModel> badModels() {
        return Stream.of(
                new BadModel("zero-bytes", (src, dir) -> write(dir.resolve("empty.sgm"), new byte[0]), "empty"),
                new BadModel("truncated-half", (src, dir) -> write(dir.resolve("half.sgm"),
                        java.util.Arrays.copyOf(read(src), read(src).length / 2)), "not a valid model file"),
                new BadModel("truncated-tail", (src, dir) -> write(dir.resolve("tail.sgm"),
                        java.util.Arrays.copyOf(read(src), read(src).length - 10)), "not a valid model file"),
                new BadModel("corrupt-middle", (src, dir) -> {
                    byte[] b = read(src);
                    for (int i = b.length / 3; i < b.length / 3 + 64; i++) {
                        b[i] ^= 0x5A;
                    }
                    return write(dir.resolve("corrupt.sgm"), b);
                }, "corrupt"),
                new BadModel("random-bytes", (src, dir) -> {
                    byte[] b = new byte[5000];
                    new java.util.Random(3).nextBytes(b);
                    return write(dir.resolve("noise.sgm"), b);
                }, "not a valid model file"),
                new BadModel("png-named-sgm", (src, dir) -> write(dir.resolve("picture.sgm"),
                        BadImageCorpus.encode(BadImageCorpus.photo(8, 8), "png")), "not a valid model file"),
                new BadModel("zip-from-another-tool", (src, dir) -> write(dir.resolve("other.zip"),
                        zip(Map.of("readme.txt", "hello".getBytes(StandardCharsets.UTF_8)))),
                        "not a style-gan model file"),
                new BadModel("plain-dl4j-model", (src, dir) -> {
                    Path f = dir.resolve("dl4j.zip");
                    try {
                        ModelSerializer.writeModel(Generator.create(TrainFixtures.tinyGenerator()).graph(), f.toFile(), false);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return f;
                }, "not a style-gan model file"),
                new BadModel("format-version-2", (src, dir) -> rewrite(src, dir.resolve("v2.sgm"), (name, b) ->
                        name.equals("manifest.json") ? replace(b, "\"formatVersion\" : 1", "\"formatVersion\" : 2") : b),
                        "expected format 1, found 2"),
                new BadModel("manifest-missing-kind", (src, dir) -> rewrite(src, dir.resolve("nokind.sgm"),
                        (name, b) -> name.equals("manifest.json") ? replace(b, "\"kind\" : \"MODEL\",", "") : b),
                        "missing the field 'kind'"),
                new BadModel("config-missing-generator", (src, dir) -> rewrite(src, dir.resolve("nogen.sgm"),
                        (name, b) -> name.equals("manifest.json") ? dropGeneratorConfig(b) : b),
                        "generator does not match its config"),
                new BadModel("config-not-json", (src, dir) -> rewrite(src, dir.resolve("badcfg.sgm"),
                        (name, b) -> name.equals("manifest.json") ? replaceConfig(b, "{not json") : b),
                        "invalid training config"),
                new BadModel("config-field-wrong-type", (src, dir) -> rewrite(src, dir.resolve("badtaps.sgm"),
                        (name, b) -> name.equals("manifest.json") ? replaceConfig(b, "{\"styleTaps\":null}") : b),
                        "invalid training config"),
                new BadModel("history-corrupt", (src, dir) -> rewrite(src, dir.resolve("badhist.sgm"),
                        (name, b) -> name.endsWith("history.json") ? "{\"version\":1,\"events\":[{]".getBytes() : b),
                        "history"),
                new BadModel("history-events-not-a-list", (src, dir) -> rewrite(src, dir.resolve("badhist2.sgm"),
                        (name, b) -> name.endsWith("history.json") ? "{\"version\":1,\"events\":null}".getBytes() : b),
                        "history"),
                new BadModel("history-event-null-terms", (src, dir) -> rewrite(src, dir.resolve("badhist3.sgm"),
                        (name, b) -> name.endsWith("history.json")
                                ? "{\"version\":1,\"events\":[{\"step\":0,\"totalSteps\":1,\"terms\":7}]}".getBytes() : b),
                        "history"),
                new BadModel("generator-entry-corrupt", (src, dir) -> rewrite(src, dir.resolve("badgen.sgm"),
                        (name, b) -> name.startsWith("graphs/generator") ? java.util.Arrays.copyOf(b, b.length / 2) : b),
                        "generator"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badModels")
    void badModelFilesGiveAClearModelFormatException(BadModel bad) {
        Path file = bad.make().apply(modelFile, tmp);
        assertTimeoutPreemptively(LIMIT, () -> assertThatThrownBy(() -> StyleModel.load(file))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(file.toString())
                .satisfies(e -> assertThat(e.getMessage().toLowerCase(Locale.ROOT))
                        .contains(bad.message().toLowerCase(Locale.ROOT))));
    }

    @Test
    void missingModelFileSaysSo() {
        Path missing = tmp.resolve("nope.sgm");
        assertThatThrownBy(() -> StyleModel.load(missing)).isInstanceOf(java.nio.file.NoSuchFileException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void theUndamagedFileStillLoads() throws IOException {
        assertThat(StyleModel.load(modelFile).numParams()).isEqualTo(model.numParams());
    }

    // ------------------------------------------------------------------------------------------ zip surgery

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Path write(Path p, byte[] b) {
        try {
            return Files.write(p, b);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /** Copies a zip, passing each entry through {@code edit}. */
    static Path rewrite(Path src, Path dst, BiFunction<String, byte[], byte[]> edit) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(src))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                entries.put(e.getName(), edit.apply(e.getName(), z.readAllBytes()));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return write(dst, zip(entries));
    }

    static byte[] replace(byte[] b, String from, String to) {
        String s = new String(b, StandardCharsets.UTF_8);
        assertThat(s).contains(from);
        return s.replace(from, to).getBytes(StandardCharsets.UTF_8);
    }

    private static final org.nd4j.shade.jackson.databind.ObjectMapper JSON =
            new org.nd4j.shade.jackson.databind.ObjectMapper();

    @SuppressWarnings("unchecked")
    static byte[] replaceConfig(byte[] manifest, String config) {
        try {
            Map<String, Object> m = JSON.readValue(manifest, LinkedHashMap.class);
            m.put("config", config);
            return JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static byte[] dropGeneratorConfig(byte[] manifest) {
        try {
            Map<String, Object> m = JSON.readValue(manifest, LinkedHashMap.class);
            Map<String, Object> cfg = JSON.readValue((String) m.get("config"), LinkedHashMap.class);
            assertThat(cfg).containsKey("generator");
            cfg.remove("generator");
            m.put("config", JSON.writeValueAsString(cfg));
            return JSON.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
