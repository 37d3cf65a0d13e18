package org.stylegan.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylegan.core.StyleModel;
import org.stylegan.io.Images;
import org.stylegan.io.testing.BadImageCorpus;

/** The per-partition engine without Spark: batches, errors, streaming, the model cache. */
class PartitionStylizerTest {
    @Test
    void oneAtATimeGivesExactlyThePixelsOfStyleModel() throws IOException {
        StyleModel.Options options = new StyleModel.Options(0.8, true, 0, 0, 32);
        StylizeSettings s = StylizeSettings.of(SparkFixtures.model().toString()).withOptions(options);
        assertThat(s.batchSize()).isEqualTo(1);
        for (int[] diff : compareWithStyleModel(s)) {
            assertThat(diff[0]).as("differing pixels").isZero();
        }
    }

    @Test
    void sameSizeBatchesStayWithinOneLevelOfOneByOne() throws IOException {
        // oneDNN may pick other kernels for another batch size: a few pixels may round the other way.
        StyleModel.Options options = new StyleModel.Options(0.8, true, 0, 0, 32);
        StylizeSettings s = StylizeSettings.of(SparkFixtures.model().toString()).withOptions(options).withBatchSize(4);
        for (int[] diff : compareWithStyleModel(s)) {
            assertThat(diff[1]).as("largest difference in levels").isLessThanOrEqualTo(1);
            assertThat(diff[0]).as("differing pixels").isLessThanOrEqualTo(48 * 32 / 100);
        }
    }

    /** Stylizes three same-size images and one other in one chunk; per image {differing pixels, max level diff}. */
    private static List<int[]> compareWithStyleModel(StylizeSettings s) throws IOException {
        StyleModel model = ModelCache.get(s.model());
        List<PartitionStylizer.Input<Integer>> inputs = new ArrayList<>();
        List<BufferedImage> originals = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            BufferedImage img = SparkFixtures.generated(i < 3 ? 48 : 40, 32, i);
            originals.add(img);
            byte[] png = BadImageCorpus.encode(img, "png");
            inputs.add(new PartitionStylizer.Input<>(i, () -> png));
        }
        PartitionStylizer stylizer = new PartitionStylizer(s);
        List<PartitionStylizer.Result<Integer>> results = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i += s.batchSize()) {
            results.addAll(stylizer.process(inputs.subList(i, Math.min(inputs.size(), i + s.batchSize()))));
        }
        assertThat(results).extracting(PartitionStylizer.Result::key).containsExactly(0, 1, 2, 3);
        List<int[]> diffs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            PartitionStylizer.Result<Integer> r = results.get(i);
            assertThat(r.error()).isNull();
            BufferedImage expected = model.stylize(originals.get(i), s.options());
            assertThat(r.width()).isEqualTo(expected.getWidth());
            assertThat(r.height()).isEqualTo(expected.getHeight());
            int[] a = SparkFixtures.pixels(Images.read(new ByteArrayInputStream(r.encoded())));
            int[] e = SparkFixtures.pixels(expected);
            int count = 0;
            int max = 0;
            for (int k = 0; k < e.length; k++) {
                int d = 0;
                for (int shift = 0; shift < 24; shift += 8) {
                    d = Math.max(d, Math.abs(((a[k] >> shift) & 255) - ((e[k] >> shift) & 255)));
                }
                count += d > 0 ? 1 : 0;
                max = Math.max(max, d);
            }
            diffs.add(new int[] {count, max});
        }
        return diffs;
    }

    @Test
    void brokenAndTooSmallImagesAreResultsWithAReasonNotExceptions() {
        StylizeSettings s = StylizeSettings.of(SparkFixtures.model().toString());
        List<PartitionStylizer.Input<String>> inputs = new ArrayList<>();
        for (BadImageCorpus.Case c : BadImageCorpus.all()) {
            inputs.add(new PartitionStylizer.Input<>(c.name(), c::bytes));
        }
        inputs.add(new PartitionStylizer.Input<>("unreadable", () -> {
            throw new IOException("disk on fire");
        }));
        inputs.add(new PartitionStylizer.Input<>("null", () -> null));
        List<PartitionStylizer.Result<String>> results = new PartitionStylizer(s).process(inputs);
        assertThat(results).hasSize(inputs.size());
        for (PartitionStylizer.Result<String> r : results) {
            BadImageCorpus.Case c = BadImageCorpus.all().stream().filter(k -> k.name().equals(r.key())).findFirst()
                    .orElse(null);
            if (c == null) {
                assertThat(r.error()).isIn("disk on fire", "no image bytes (null)");
            } else if (c.outcome() == BadImageCorpus.Outcome.REFUSED) {
                assertThat(r.error()).as(c.name()).containsIgnoringCase(c.message());
                assertThat(r.encoded()).isNull();
            } else if (Math.min(c.width(), c.height()) < 8) {
                assertThat(r.error()).as(c.name()).contains("too small");
            } else {
                assertThat(r.error()).as(c.name()).isNull();
                assertThat(r.width()).isEqualTo(c.width());
            }
        }
    }

    @Test
    void chunkedPullsOneChunkAtATime() {
        AtomicInteger pulled = new AtomicInteger();
        Iterator<Integer> source = IntStream.range(0, 10).peek(i -> pulled.incrementAndGet()).boxed().iterator();
        Iterator<Integer> out = PartitionStylizer.chunked(source, 4, chunk -> {
            assertThat(chunk.size()).isLessThanOrEqualTo(4);
            return chunk.stream().map(i -> i * 10).toList();
        });
        assertThat(pulled).hasValue(0); // lazy: nothing read before the first hasNext
        assertThat(out.next()).isZero();
        assertThat(pulled).hasValue(4);
        List<Integer> rest = new ArrayList<>();
        out.forEachRemaining(rest::add);
        assertThat(rest).containsExactly(10, 20, 30, 40, 50, 60, 70, 80, 90);
        assertThatThrownBy(() -> PartitionStylizer.chunked(source, 0, c -> c))
                .hasMessage("size must be >= 1, found 0");
    }

    @Test
    void modelIsLoadedOncePerJvmAndBadModelsFailClearly(@TempDir Path tmp) throws IOException {
        String path = SparkFixtures.model().toString();
        assertThat(ModelCache.get(path)).isSameAs(ModelCache.get(path));
        assertThatThrownBy(() -> ModelCache.get(tmp.resolve("missing.zip").toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("model file not found: " + tmp.resolve("missing.zip"))
                .hasMessageContaining("--files");
        Path damaged = tmp.resolve("damaged.zip");
        byte[] good = Files.readAllBytes(SparkFixtures.model());
        Files.write(damaged, java.util.Arrays.copyOf(good, good.length / 2));
        assertThatThrownBy(() -> ModelCache.get(damaged.toString()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot load the model " + damaged);
    }
}
