package org.stylegan.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylegan.core.StyleModel;
import org.stylegan.io.ImageReadException;
import org.stylegan.io.Images;

/** The job on local[2]: output like StyleModel, the manifest, reruns, retried tasks, bad arguments. */
class StylizeJobTest {
    private final SparkSession spark = SparkFixtures.spark();
    private final String model = SparkFixtures.model().toString();

    @Test
    void writesEveryGoodImageLikeStyleModelAndRecordsBrokenOnesInTheManifest(@TempDir Path tmp) throws IOException {
        Path in = SparkFixtures.inputFolder(tmp.resolve("in"));
        Path out = tmp.resolve("out");
        JobConfig config = JobConfig.parse("--model", model, "--input", in.toString(), "--output", out.toString(),
                "--strength", "0.9", "--tile", "32", "--partitions", "3");
        StylizeJob.Result result = StylizeJob.run(spark, config);

        Map<Path, BufferedImage> expected = expectedOutputs(in, config.settings().options());
        List<Path> inputs = SparkFixtures.images(in);
        long bad = inputs.size() - expected.size();
        assertThat(expected).hasSizeGreaterThan(15);
        assertThat(bad).isGreaterThan(10);
        assertThat(result.written()).isEqualTo(expected.size());
        assertThat(result.failed()).isEqualTo(bad);
        assertThat(result.skipped()).isZero();

        for (Map.Entry<Path, BufferedImage> e : expected.entrySet()) {
            Path written = out.resolve(in.relativize(e.getKey()) + ".png");
            assertThat(written).as("output of %s", e.getKey()).isRegularFile();
            assertThat(SparkFixtures.pixels(Images.read(written))).as("pixels of %s", written)
                    .isEqualTo(SparkFixtures.pixels(e.getValue()));
        }
        assertThat(outputFiles(out)).hasSize(expected.size()); // nothing else: no temp file, no output of a failure
        assertThat(out.resolve(HadoopOutputStore.TEMP_DIR)).doesNotExist();

        Map<String, Row> manifest = manifestByInput(result.manifest());
        assertThat(manifest).hasSize(inputs.size());
        for (Path p : inputs) {
            Row r = manifest.get(p.toUri().getPath());
            assertThat(r).as("manifest row of %s", p).isNotNull();
            if (expected.containsKey(p)) {
                assertThat(r.<String>getAs("status")).isEqualTo(StylizeJob.WRITTEN);
                assertThat(r.<String>getAs("output")).endsWith(in.relativize(p) + ".png");
                assertThat(r.<String>getAs("error")).isNull();
                assertThat(r.<Integer>getAs("width")).isEqualTo(expected.get(p).getWidth());
            } else {
                assertThat(r.<String>getAs("status")).isEqualTo(StylizeJob.FAILED);
                assertThat(r.<String>getAs("output")).isNull();
                assertThat(r.<String>getAs("error")).as("error of %s", p).isNotBlank();
            }
            assertThat(r.<Long>getAs("millis")).isNotNegative();
        }
        assertThat(manifest.get(in.resolve("odd/truncated.png").toUri().getPath()).<String>getAs("error"))
                .contains("truncated");
        assertThat(manifest.get(in.resolve("odd/dot.png").toUri().getPath()).<String>getAs("error"))
                .contains("too small");
    }

    @Test
    void secondRunWritesNothingNew(@TempDir Path tmp) throws IOException {
        Path in = SparkFixtures.inputFolder(tmp.resolve("in"));
        Path out = tmp.resolve("out");
        JobConfig config = JobConfig.parse("--model", model, "--input", in.toString(), "--output", out.toString(),
                "--format", "jpg");
        StylizeJob.Result first = StylizeJob.run(spark, config);
        Map<String, List<Object>> before = snapshot(out);
        StylizeJob.Result second = StylizeJob.run(spark, config);

        assertThat(first.written()).isPositive();
        assertThat(second.written()).isZero();
        assertThat(second.skipped()).isEqualTo(first.written());
        assertThat(second.failed()).isEqualTo(first.failed()); // broken images are tried again, and fail again
        assertThat(snapshot(out)).isEqualTo(before); // same files, same sizes, same modification times
        assertThat(spark.read().parquet(out.resolve(StylizeJob.MANIFEST_DIR).toString()).select("run").distinct()
                .count()).isEqualTo(2);
    }

    @Test
    void retriedTaskWritesEveryImageExactlyOnce(@TempDir Path tmp) throws IOException {
        Path in = SparkFixtures.inputFolder(tmp.resolve("in"));
        Path out = tmp.resolve("out");
        JobConfig config = JobConfig.parse("--model", model, "--input", in.toString(), "--output", out.toString(),
                "--partitions", "2", "--batch-size", "2");
        Map<String, String> conf = Map.of();
        FailingFirstAttempts.reset();
        StylizeJob.Result result = StylizeJob.run(spark, config,
                new FailingFirstAttempts(new HadoopOutputStore(out.toUri().toString(), conf)));

        Map<Path, BufferedImage> expected = expectedOutputs(in, config.settings().options());
        assertThat(FailingFirstAttempts.FAILURES.get()).as("injected failures").isEqualTo(2); // one per partition
        assertThat(FailingFirstAttempts.WRITES.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        assertThat(FailingFirstAttempts.WRITES).hasSize(expected.size());
        assertThat(outputFiles(out)).hasSize(expected.size());
        assertThat(out.resolve(HadoopOutputStore.TEMP_DIR)).doesNotExist();
        // Every input once in the manifest; what the failed attempts stored shows as skipped by their retries.
        assertThat(manifestByInput(result.manifest())).hasSize(SparkFixtures.images(in).size());
        assertThat(result.written() + result.skipped()).isEqualTo(expected.size());
        assertThat(result.skipped()).isEqualTo(4); // two per failed attempt
    }

    @Test
    void badArgumentsFailBeforeAnyWorkWithClearMessages(@TempDir Path tmp) throws IOException {
        Path in = SparkFixtures.inputFolder(tmp.resolve("in"));
        assertThatThrownBy(() -> StylizeJob.run(spark, JobConfig.parse("--model", model, "--input", in.toString(),
                "--output", in.resolve("styled").toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is inside the input folder");
        assertThatThrownBy(() -> StylizeJob.run(spark, JobConfig.parse("--model", model, "--input",
                tmp.resolve("nothing").toString(), "--output", tmp.resolve("out").toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing does not exist");
        assertThatThrownBy(() -> StylizeJob.run(spark, JobConfig.parse("--model", model, "--input",
                in + "/*/nope-*.png", "--output", tmp.resolve("out").toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("matches no file");
        Path damaged = Files.write(tmp.resolve("damaged.zip"), new byte[] {'P', 'K', 3, 4, 0, 0});
        assertThatThrownBy(() -> StylizeJob.run(spark, JobConfig.parse("--model", damaged.toString(), "--input",
                in.toString(), "--output", tmp.resolve("out").toString())))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot load the model " + damaged);
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void aGlobSelectsImagesAndNamesAreRelativeToItsFixedFolders(@TempDir Path tmp) throws IOException {
        Path in = SparkFixtures.inputFolder(tmp.resolve("in"));
        Path out = tmp.resolve("out");
        StylizeJob.Result result = StylizeJob.run(spark, JobConfig.parse("--model", model, "--input",
                in + "/generated/same-size-*.png", "--output", out.toString()));
        assertThat(result.written()).isEqualTo(5);
        assertThat(out.resolve("same-size-0.png.png")).isRegularFile();
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** What StyleModel.stylize makes of every input it can stylize (the others are absent). */
    private Map<Path, BufferedImage> expectedOutputs(Path in, StyleModel.Options options) throws IOException {
        StyleModel m = StyleModel.load(Path.of(model));
        Map<Path, BufferedImage> expected = new TreeMap<>();
        for (Path p : SparkFixtures.images(in)) {
            try {
                expected.put(p, m.stylize(Images.read(p), options));
            } catch (ImageReadException | IllegalArgumentException e) {
                // broken or too small: the job must record it as failed
            }
        }
        return expected;
    }

    private Map<String, Row> manifestByInput(String manifest) {
        Map<String, Row> rows = new HashMap<>();
        for (Row r : spark.read().parquet(manifest).collectAsList()) {
            String input = java.net.URI.create(r.<String>getAs("input").replace(" ", "%20")).getPath();
            assertThat(rows.put(input, r)).as("second row for %s", input).isNull();
        }
        return rows;
    }

    /** Image files under the output folder, leaving out the manifest. */
    private static List<Path> outputFiles(Path out) throws IOException {
        try (Stream<Path> s = Files.walk(out)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> !out.relativize(p).startsWith(StylizeJob.MANIFEST_DIR)).toList();
        }
    }

    private static Map<String, List<Object>> snapshot(Path out) throws IOException {
        Map<String, List<Object>> m = new TreeMap<>();
        for (Path p : outputFiles(out)) {
            m.put(out.relativize(p).toString(), List.of(Files.size(p), Files.getLastModifiedTime(p)));
        }
        return m;
    }

    /**
     * A store that fails the first attempt of every task after it stored two images, and counts what reaches the
     * real store (statics: local mode runs tasks in this JVM).
     */
    static final class FailingFirstAttempts implements OutputStore {
        private static final long serialVersionUID = 1L;
        static final Map<String, AtomicInteger> WRITES = new ConcurrentHashMap<>();
        static final Map<Long, AtomicInteger> PER_ATTEMPT = new ConcurrentHashMap<>();
        static final AtomicInteger FAILURES = new AtomicInteger();
        private final OutputStore delegate;

        FailingFirstAttempts(OutputStore delegate) {
            this.delegate = delegate;
        }

        static void reset() {
            WRITES.clear();
            PER_ATTEMPT.clear();
            FAILURES.set(0);
        }

        @Override
        public boolean exists(String name) throws IOException {
            return delegate.exists(name);
        }

        @Override
        public boolean write(String name, byte[] bytes) throws IOException {
            boolean stored = delegate.write(name, bytes);
            if (stored) {
                WRITES.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            }
            TaskContext tc = TaskContext.get();
            int n = PER_ATTEMPT.computeIfAbsent(tc.taskAttemptId(), k -> new AtomicInteger()).incrementAndGet();
            if (tc.attemptNumber() == 0 && n == 2) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("injected failure of task " + tc.partitionId() + ", attempt 0");
            }
            return stored;
        }

        @Override
        public String location(String name) {
            return delegate.location(name);
        }
    }
}
