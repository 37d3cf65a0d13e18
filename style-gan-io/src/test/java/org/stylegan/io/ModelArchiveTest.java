package org.stylegan.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class ModelArchiveTest {
    @TempDir
    Path dir;

    private static ModelArchive sample(ComputationGraph g) {
        return ModelArchive.create(Manifest.Kind.CHECKPOINT)
                .config("{\"generator\":{\"blocks\":5}}")
                .seed(1234)
                .step(77)
                .extra("note", "unit test")
                .putGraph("generator", g, true)
                .putBytes("rng", new byte[] {1, 2, 3})
                .putJson("optimizer", "{\"lr\":0.001}")
                .putImage("sample", TestSupport.noiseImage(6, 5, 1));
    }

    @Test
    void saveLoadGivesSameParametersOutputsUpdaterStateAndEntries() throws IOException {
        ComputationGraph g = TinyGraphs.generator(42);
        TinyGraphs.trainOneStep(g);
        Path f = dir.resolve("ckpt.sgm");
        Instant before = Instant.now().minusSeconds(1);
        sample(g).save(f);

        ModelArchive a = ModelArchive.load(f);
        Manifest m = a.manifest();
        assertThat(m.formatVersion()).isEqualTo(1);
        assertThat(m.libraryVersion()).isEqualTo(ModelArchive.libraryVersion()).isNotEqualTo("unknown");
        assertThat(m.createdAt()).isAfter(before);
        assertThat(m.kind()).isEqualTo(Manifest.Kind.CHECKPOINT);
        assertThat(m.configJson()).isEqualTo("{\"generator\":{\"blocks\":5}}");
        assertThat(m.seed()).isEqualTo(1234);
        assertThat(m.step()).isEqualTo(77);
        assertThat(m.extra()).containsEntry("note", "unit test");
        assertThat(a.names()).containsExactly("generator", "rng", "optimizer", "sample");
        assertThat(a.has("rng")).isTrue();
        assertThat(a.has("nope")).isFalse();

        ComputationGraph back = a.graph("generator");
        assertThat(back.params()).isEqualTo(g.params());
        assertThat(back.getUpdater().getStateViewArray()).isEqualTo(g.getUpdater().getStateViewArray());
        INDArray x = TinyGraphs.input();
        TestSupport.assertAllClose(back.outputSingle(x), g.outputSingle(x), 0, 0);
        // Training continues identically from the restored state.
        TinyGraphs.trainOneStep(g);
        TinyGraphs.trainOneStep(back);
        TestSupport.assertAllClose(back.params(), g.params(), 1e-6, 1e-7);

        assertThat(a.bytes("rng")).containsExactly(1, 2, 3);
        assertThat(a.json("optimizer")).isEqualTo("{\"lr\":0.001}");
        assertThat(TestSupport.rgb(a.image("sample"))).containsExactly(TestSupport.rgb(TestSupport.noiseImage(6, 5, 1)));
        assertThatThrownBy(() -> a.json("rng")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry 'rng'").hasMessageContaining("is BYTES, not JSON");
        assertThatThrownBy(() -> a.bytes("missing")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no entry 'missing'");
    }

    @Test
    void modelWithoutUpdaterLoadsForInference() throws IOException {
        ComputationGraph g = TinyGraphs.generator(5);
        Path f = dir.resolve("model.sgm");
        ModelArchive.create(Manifest.Kind.MODEL).putGraph("g", g, false).save(f);
        ModelArchive a = ModelArchive.load(f);
        assertThat(a.manifest().kind()).isEqualTo(Manifest.Kind.MODEL);
        assertThat(a.manifest().configJson()).isEqualTo("{}");
        ComputationGraph back = a.graph("g");
        assertThat(back.params()).isEqualTo(g.params());
        TestSupport.assertAllClose(back.outputSingle(TinyGraphs.input()), g.outputSingle(TinyGraphs.input()), 0, 0);
    }

    @Test
    void loadFromStream() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelArchive.create(Manifest.Kind.MODEL).seed(3).putBytes("x", new byte[] {7}).writeTo(out);
        ModelArchive a = ModelArchive.load(new java.io.ByteArrayInputStream(out.toByteArray()), "classpath:model");
        assertThat(a.manifest().seed()).isEqualTo(3);
        assertThat(a.bytes("x")).containsExactly(7);
        assertThatThrownBy(() -> ModelArchive.load(new java.io.ByteArrayInputStream(new byte[0]), "classpath:empty"))
                .isInstanceOf(ModelFormatException.class).hasMessageContaining("classpath:empty");
    }

    @Test
    void writerValidatesNamesAndJson() {
        ModelArchive a = ModelArchive.create(Manifest.Kind.MODEL);
        assertThatThrownBy(() -> a.putBytes("../evil", new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry name must match");
        assertThatThrownBy(() -> a.putJson("j", "{not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry 'j' must be valid JSON");
        assertThatThrownBy(() -> a.config("[1,")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config must be valid JSON");
        assertThatThrownBy(() -> a.step(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("step must be >= 0, found -1");
    }

    // ------------------------------------------------------------------------------------ bad files

    private Path validFile() throws IOException {
        Path f = dir.resolve("valid.sgm");
        sample(TinyGraphs.generator(1)).save(f);
        return f;
    }

    @Test
    void zeroByteFile() throws IOException {
        Path f = Files.createFile(dir.resolve("zero.sgm"));
        assertThatThrownBy(() -> ModelArchive.load(f)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("empty (0 bytes)");
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("none.sgm");
        assertThatThrownBy(() -> ModelArchive.load(f)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("model file not found");
    }

    @Test
    void truncatedFiles() throws IOException {
        byte[] full = Files.readAllBytes(validFile());
        for (int len : new int[] {10, full.length / 3, full.length / 2, full.length - 30, full.length - 1}) {
            Path f = dir.resolve("cut" + len + ".sgm");
            Files.write(f, Arrays.copyOf(full, len));
            assertThatThrownBy(() -> ModelArchive.load(f)).as("length %d", len)
                    .isInstanceOf(ModelFormatException.class).hasMessageContaining(f.toString());
        }
    }

    @Test
    void corruptBytesInsideEntries() throws IOException {
        byte[] full = Files.readAllBytes(validFile());
        Random r = new Random(9);
        for (int trial = 0; trial < 5; trial++) {
            byte[] bad = full.clone();
            int from = 100 + trial * (full.length / 7);
            for (int i = from; i < from + 16 && i < bad.length; i++) {
                bad[i] ^= (byte) (1 + r.nextInt(255));
            }
            Path f = dir.resolve("corrupt" + trial + ".sgm");
            Files.write(f, bad);
            assertThatThrownBy(() -> ModelArchive.load(f)).as("trial %d at %d", trial, from)
                    .isInstanceOf(ModelFormatException.class).hasMessageContaining(f.toString());
        }
    }

    @Test
    void randomBytesAreNotAZip() throws IOException {
        byte[] junk = new byte[2000];
        new Random(1).nextBytes(junk);
        Path f = dir.resolve("junk.sgm");
        Files.write(f, junk);
        assertThatThrownBy(() -> ModelArchive.load(f)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not a zip archive");
    }

    @Test
    void foreignZipWithoutManifest() throws IOException {
        Path f = dir.resolve("other.zip");
        writeZip(f, "hello.txt", "hi");
        assertThatThrownBy(() -> ModelArchive.load(f)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not a style-gan model file").hasMessageContaining("no manifest.json")
                .hasMessageContaining("hello.txt");
    }

    @Test
    void formatVersionIsChecked() throws IOException {
        Path newer = dir.resolve("v2.sgm");
        writeZip(newer, "manifest.json", manifest("2"));
        assertThatThrownBy(() -> ModelArchive.load(newer)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("expected format 1, found 2").hasMessageContaining("upgrade style-gan");
        Path older = dir.resolve("v0.sgm");
        writeZip(older, "manifest.json", manifest("0"));
        assertThatThrownBy(() -> ModelArchive.load(older)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("expected format 1, found 0");
        Path none = dir.resolve("none.sgm");
        writeZip(none, "manifest.json", manifest(null));
        assertThatThrownBy(() -> ModelArchive.load(none)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("missing the field 'formatVersion'");
        Path text = dir.resolve("text.sgm");
        writeZip(text, "manifest.json", manifest("\"one\""));
        assertThatThrownBy(() -> ModelArchive.load(text)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("'formatVersion' must be a whole number");
        Path ok = dir.resolve("ok.sgm");
        writeZip(ok, "manifest.json", manifest("1"));
        assertThat(ModelArchive.load(ok).manifest().step()).isEqualTo(5);
    }

    @Test
    void everyRequiredManifestFieldIsChecked() throws IOException {
        for (String field : List.of("libraryVersion", "createdAt", "kind", "config", "seed", "step")) {
            String json = manifest("1").replaceFirst("\"" + field + "\":[^,}]*,?", "").replace(",}", "}");
            assertThat(json).doesNotContain("\"" + field + "\"");
            Path f = dir.resolve("no-" + field + ".sgm");
            writeZip(f, "manifest.json", json);
            assertThatThrownBy(() -> ModelArchive.load(f)).as(field).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("missing the field '" + field + "'").hasMessageContaining(f.toString());
        }
        Path badJson = dir.resolve("badjson.sgm");
        writeZip(badJson, "manifest.json", "{\"formatVersion\": 1,");
        assertThatThrownBy(() -> ModelArchive.load(badJson)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("not valid JSON");
        Path badKind = dir.resolve("badkind.sgm");
        writeZip(badKind, "manifest.json", manifest("1").replace("\"MODEL\"", "\"PICTURE\""));
        assertThatThrownBy(() -> ModelArchive.load(badKind)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("MODEL or CHECKPOINT, found 'PICTURE'");
        Path badDate = dir.resolve("baddate.sgm");
        writeZip(badDate, "manifest.json", manifest("1").replace("2024-01-02T03:04:05Z", "yesterday"));
        assertThatThrownBy(() -> ModelArchive.load(badDate)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("'createdAt' must be an ISO-8601");
    }

    @Test
    void corruptGraphEntryIsAModelFormatException() throws IOException {
        Path f = dir.resolve("badgraph.sgm");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new ZipEntry("manifest.json"));
            z.write(manifest("1").getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("graphs/g.zip"));
            z.write("not a dl4j model".getBytes(StandardCharsets.UTF_8));
        }
        ModelArchive a = ModelArchive.load(f);
        assertThat(a.type("g")).isEqualTo(ModelArchive.EntryType.GRAPH);
        assertThatThrownBy(() -> a.graph("g")).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("graph 'g'").hasMessageContaining(f.toString());
    }

    private static String manifest(String version) {
        return "{" + (version == null ? "" : "\"formatVersion\":" + version + ",")
                + "\"libraryVersion\":\"0.1.0\",\"createdAt\":\"2024-01-02T03:04:05Z\",\"kind\":\"MODEL\","
                + "\"config\":\"{}\",\"seed\":1,\"step\":5}";
    }

    private static void writeZip(Path f, String name, String content) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new ZipEntry(name));
            z.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    // ------------------------------------------------------------------------------------- atomicity

    @Test
    void interruptedSaveKeepsThePreviousFileAndLeavesNoTempFile() throws IOException {
        ComputationGraph g = TinyGraphs.generator(11);
        Path f = dir.resolve("model.sgm");
        ModelArchive.create(Manifest.Kind.MODEL).step(1).putGraph("g", g, false).save(f);
        byte[] before = Files.readAllBytes(f);

        ModelArchive next = ModelArchive.create(Manifest.Kind.MODEL).step(2).putGraph("g", TinyGraphs.generator(12), true);
        // The writer dies half-way through the archive.
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> next.writeTo(new FailAfter(out, before.length / 2))))
                .isInstanceOf(IOException.class).hasMessageContaining("simulated crash");
        // A runtime exception thrown by the callback is handled the same way.
        assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
            out.write(new byte[100]);
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        ModelArchive a = ModelArchive.load(f);
        assertThat(a.manifest().step()).isEqualTo(1);
        assertThat(a.graph("g").params()).isEqualTo(g.params());
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("model.sgm");
        }
        next.save(f); // and a complete save replaces it
        assertThat(ModelArchive.load(f).manifest().step()).isEqualTo(2);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.count()).isEqualTo(1);
        }
    }

    @Test
    void atomicWriteCreatesFoldersAndKeepsReadablePermissions() throws IOException {
        Path f = dir.resolve("a/b/c.bin");
        AtomicFiles.write(f, new byte[] {1, 2});
        assertThat(Files.readAllBytes(f)).containsExactly(1, 2);
        if (f.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // Not the 0600 of Files.createTempFile: other users may read a shared model.
            assertThat(Files.getPosixFilePermissions(f)).contains(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                    java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            assertThat(Files.getPosixFilePermissions(f).size()).isGreaterThan(2);
        }
        assertThatThrownBy(() -> AtomicFiles.write(dir.resolve("a"), new byte[0])).isInstanceOf(IOException.class)
                .hasMessageContaining("it is a folder");
    }

    /** Passes bytes through until {@code limit}, then fails like a crashing disk or process. */
    private static final class FailAfter extends FilterOutputStream {
        private long left;

        FailAfter(OutputStream out, long limit) {
            super(out);
            this.left = limit;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                out.write(b, off, (int) left);
                left = 0;
                throw new IOException("simulated crash half-way through the save");
            }
            out.write(b, off, len);
            left -= len;
        }
    }

    @Test
    void loadedArchiveCanBeAmendedAndResaved() throws IOException {
        Path f = validFile();
        ModelArchive a = ModelArchive.load(f);
        a.remove("rng");
        a.putBytes("extra", new byte[] {4});
        Path g = dir.resolve("amended.sgm");
        a.save(g);
        ModelArchive b = ModelArchive.load(g);
        assertThat(b.names()).containsExactly("generator", "optimizer", "sample", "extra");
        assertThat(b.manifest().seed()).isEqualTo(1234);
        BufferedImage img = b.image("sample");
        assertThat(img.getWidth()).isEqualTo(6);
    }
}
