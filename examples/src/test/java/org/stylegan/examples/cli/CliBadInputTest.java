package org.stylegan.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.stylegan.examples.cli.StyleGanCliTest.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.stylegan.core.StyleModel;
import org.stylegan.examples.cli.StyleGanCliTest.Result;
import org.stylegan.io.Images;
import org.stylegan.io.testing.BadImageCorpus;
import org.stylegan.io.testing.BadImageCorpus.Case;

/**
 * The bad-input corpus and damaged model files through the command line: every case ends in exit code 0 with an
 * image, or exit code 1 with one {@code error:} line naming the file; never a hang or a stack trace.
 */
class CliBadInputTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @TempDir
    static Path shared;
    static Path model;
    static Path goodContent;
    static Path goodStyle;
    static int minSize;

    @TempDir
    Path tmp;

    static String[] train(Path content, Path style, Path out) {
        return new String[] {"train", "--content", content.toString(), "--style", style.toString(), "--out",
            out.toString(), "--steps", "1", "--size", "32", "--batch", "1", "--filters", "4", "--blocks", "1"};
    }

    @BeforeAll
    static void trainTinyModel() throws IOException {
        goodContent = Files.createDirectories(shared.resolve("content"));
        for (int i = 0; i < 2; i++) {
            Images.writePng(BadImageCorpus.photo(40 + i, 40), goodContent.resolve("p" + i + ".png"));
        }
        goodStyle = shared.resolve("style.png");
        Images.writePng(BadImageCorpus.photo(48, 48), goodStyle);
        model = shared.resolve("tiny.zip");
        Result r = cli(train(goodContent, goodStyle, model));
        assertThat(r.code()).as(r.err()).isZero();
        minSize = StyleModel.load(model).generatorConfig().minimumSize();
    }

    static Stream<Case> corpus() {
        return BadImageCorpus.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void stylizeGivesExitCodeZeroOrOneNamingTheFile(Case c) {
        Path in = c.write(tmp);
        Path out = tmp.resolve("out.png");
        Result r = assertTimeoutPreemptively(LIMIT, () -> cli("stylize", "--model", model.toString(), "--input",
                in.toString(), "--output", out.toString()));
        boolean ok = c.outcome() == BadImageCorpus.Outcome.CONVERTED && c.width() >= minSize && c.height() >= minSize;
        if (ok) {
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(Files.exists(out)).isTrue();
        } else {
            assertOneLineError(r, in);
            assertThat(Files.exists(out)).as("no output for a failed input").isFalse();
        }
    }

    @Test
    void stylizeFolderStopsAtTheFirstBadFileNamingIt() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        BadImageCorpus.all().forEach(c -> c.write(in));
        Result r = assertTimeoutPreemptively(LIMIT, () -> cli("stylize", "--model", model.toString(), "--input",
                in.toString(), "--output", tmp.resolve("out").toString()));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").contains(in.toString());
    }

    @Test
    void trainOnAFolderWithBadFilesFailsNamingTheFile() throws Exception {
        Path content = Files.createDirectories(tmp.resolve("content"));
        Files.copy(goodContent.resolve("p0.png"), content.resolve("a.png"));
        Path bad = BadImageCorpus.all().stream().filter(c -> c.name().equals("truncated-jpeg")).findFirst()
                .orElseThrow().write(content);
        Result r = assertTimeoutPreemptively(LIMIT, () -> cli(train(content, goodStyle, tmp.resolve("m.zip"))));
        assertOneLineError(r, bad);
        assertThat(Files.exists(tmp.resolve("m.zip"))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void trainWithABadStyleImageFailsNamingTheFile(Case c) {
        if (c.outcome() != BadImageCorpus.Outcome.REFUSED) {
            return; // odd but readable style images (1x1, gray, palette) are resized and used
        }
        Path style = c.write(tmp);
        Result r = assertTimeoutPreemptively(LIMIT, () -> cli(train(goodContent, style, tmp.resolve("m.zip"))));
        assertOneLineError(r, style);
    }

    static Stream<String> damagedModels() {
        return Stream.of("zero-bytes", "truncated", "random-bytes", "foreign-zip", "format-version-2", "png");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedModels")
    void stylizeWithADamagedModelFailsNamingTheModel(String kind) throws Exception {
        byte[] good = Files.readAllBytes(model);
        byte[] bytes = switch (kind) {
            case "zero-bytes" -> new byte[0];
            case "truncated" -> Arrays.copyOf(good, good.length * 2 / 3);
            case "random-bytes" -> {
                byte[] b = new byte[3000];
                new java.util.Random(9).nextBytes(b);
                yield b;
            }
            case "foreign-zip" -> zipOf("notes.txt", "hello".getBytes(StandardCharsets.UTF_8));
            case "format-version-2" -> withManifest(good, m -> m.replace("\"formatVersion\" : 1", "\"formatVersion\" : 2"));
            default -> BadImageCorpus.encode(BadImageCorpus.photo(8, 8), "png");
        };
        Path bad = Files.write(tmp.resolve("damaged.zip"), bytes);
        Path photo = tmp.resolve("photo.png");
        Images.writePng(BadImageCorpus.photo(40, 40), photo);
        Result r = assertTimeoutPreemptively(LIMIT, () -> cli("stylize", "--model", bad.toString(), "--input",
                photo.toString(), "--output", tmp.resolve("o.png").toString()));
        assertOneLineError(r, bad);
        assertThat(r.err()).contains("cannot load model");
    }

    private static void assertOneLineError(Result r, Path file) {
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(StyleGanCli.RUNTIME_ERROR);
        List<String> lines = r.err().lines().toList();
        assertThat(lines).as(r.err()).isNotEmpty();
        assertThat(lines.get(0)).startsWith("error: ").contains(file.toString());
        assertThat(r.err()).as("no stack trace without --verbose").doesNotContain("\tat ");
    }

    private static byte[] zipOf(String name, byte[] content) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bos)) {
            z.putNextEntry(new ZipEntry(name));
            z.write(content);
            z.closeEntry();
        }
        return bos.toByteArray();
    }

    private static byte[] withManifest(byte[] zip, java.util.function.UnaryOperator<String> edit) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(zip));
             ZipOutputStream out = new ZipOutputStream(bos)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] b = in.readAllBytes();
                if (e.getName().equals("manifest.json")) {
                    String s = new String(b, StandardCharsets.UTF_8);
                    assertThat(s).contains("\"formatVersion\" : 1");
                    b = edit.apply(s).getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(b);
                out.closeEntry();
            }
        }
        return bos.toByteArray();
    }
}
