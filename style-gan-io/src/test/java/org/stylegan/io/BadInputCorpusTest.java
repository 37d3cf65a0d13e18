package org.stylegan.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stylegan.io.testing.BadImageCorpus;
import org.stylegan.io.testing.BadImageCorpus.Case;
import org.stylegan.io.testing.BadImageCorpus.Outcome;

/**
 * Runs the whole bad-input corpus through the io entry points: {@link Images#read(Path)}, {@link Images#read(java.io.InputStream)}
 * and {@link ImageFolderDataset} under both policies. Every case must end in its documented outcome within a
 * few seconds: converted to RGB, or an {@link ImageReadException} naming the file.
 */
class BadInputCorpusTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    static Stream<Case> corpus() {
        return BadImageCorpus.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void readFromFileGivesTheDocumentedOutcome(Case c) {
        Path file = c.write(tmp);
        assertTimeoutPreemptively(LIMIT, () -> {
            if (c.outcome() == Outcome.CONVERTED) {
                BufferedImage img = Images.read(file);
                assertThat(img.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
                assertThat(img.getWidth()).isEqualTo(c.width());
                assertThat(img.getHeight()).isEqualTo(c.height());
                INDArray t = Images.toTensor(img);
                assertThat(t.minNumber().doubleValue()).isGreaterThanOrEqualTo(-1.0);
                assertThat(t.maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
            } else {
                assertThatThrownBy(() -> Images.read(file)).isInstanceOf(ImageReadException.class)
                        .hasMessageContaining(file.toString())
                        .satisfies(e -> assertThat(e.getMessage().toLowerCase(Locale.ROOT)).contains(c.message()))
                        .satisfies(e -> assertThat(((ImageReadException) e).file()).contains(file));
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void readFromStreamGivesTheSameOutcome(Case c) {
        assertTimeoutPreemptively(LIMIT, () -> {
            if (c.outcome() == Outcome.CONVERTED) {
                BufferedImage img = Images.read(new ByteArrayInputStream(c.bytes()));
                assertThat(img.getWidth()).isEqualTo(c.width());
                assertThat(img.getHeight()).isEqualTo(c.height());
            } else {
                assertThatThrownBy(() -> Images.read(new ByteArrayInputStream(c.bytes())))
                        .isInstanceOf(ImageReadException.class)
                        .satisfies(e -> assertThat(e.getMessage().toLowerCase(Locale.ROOT)).contains(c.message()));
            }
        });
    }

    @Test
    void absurdDeclaredSizesAreRefusedBeforeAnyPixelIsDecoded() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (Case c : BadImageCorpus.refusedCases()) {
            if (!c.message().equals("megapixels")) {
                continue;
            }
            long before = mx.getCurrentThreadAllocatedBytes();
            assertThatThrownBy(() -> Images.read(new ByteArrayInputStream(c.bytes())))
                    .as(c.name()).isInstanceOf(ImageReadException.class).hasMessageContaining("megapixels");
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            // 20000 x 20000 RGB would need >= 1.2 GB; the refusal reads only the header.
            assertThat(allocated).as("bytes allocated while refusing %s", c.name()).isLessThan(16L << 20);
        }
    }

    @Test
    void datasetWithFailPolicyStopsNamingTheFile() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("fail"));
        BadImageCorpus.convertedCases().get(0).write(dir);
        Case bad = BadImageCorpus.refusedCases().get(0);
        Path badFile = bad.write(dir);
        assertTimeoutPreemptively(LIMIT, () -> {
            for (int prefetch : new int[] {0, 2}) {
                try (ImageFolderDataset ds = ImageFolderDataset.builder().folder(dir).cropSize(8).batchSize(2)
                        .prefetch(prefetch).seed(1).build()) {
                    assertThatThrownBy(ds::nextBatch).as("prefetch %d", prefetch)
                            .isInstanceOf(UncheckedIOException.class)
                            .hasMessageContaining(badFile.toString())
                            .hasMessageContaining("UnreadablePolicy.SKIP")
                            .hasCauseInstanceOf(ImageReadException.class);
                    // The failure sticks: the next call reports the same file instead of hanging.
                    assertThatThrownBy(ds::nextBatch).hasMessageContaining(badFile.toString());
                }
            }
        });
    }

    @Test
    void datasetWithSkipPolicySkipsExactlyTheRefusedFilesAndKeepsGoing() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("skip"));
        Set<Path> refused = new HashSet<>();
        for (Case c : BadImageCorpus.all()) {
            Path f = c.write(dir);
            if (c.outcome() == Outcome.REFUSED) {
                refused.add(f);
            }
        }
        int convertible = BadImageCorpus.convertedCases().size();
        assertTimeoutPreemptively(LIMIT.multipliedBy(2), () -> {
            try (ImageFolderDataset ds = ImageFolderDataset.builder().folder(dir).cropSize(8).batchSize(3).seed(4)
                    .prefetch(2).unreadable(ImageFolderDataset.UnreadablePolicy.SKIP).build()) {
                assertThat(ds.files()).hasSize(BadImageCorpus.all().size());
                // Two epochs' worth of images: every file is tried, the refused ones only once.
                for (int i = 0; i < 2 * convertible / 3 + 1; i++) {
                    INDArray b = ds.nextBatch();
                    assertThat(b.shape()).containsExactly(3, 3, 8, 8);
                    assertThat(b.minNumber().doubleValue()).isGreaterThanOrEqualTo(-1.0);
                    assertThat(b.maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
                }
                List<Path> skipped = ds.skipped();
                assertThat(new HashSet<>(skipped)).isEqualTo(refused);
                assertThat(skipped).doesNotHaveDuplicates();
            }
        });
    }

    @Test
    void datasetOfOnlyBadFilesFailsClearlyUnderSkip() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("allbad"));
        for (Case c : BadImageCorpus.refusedCases()) {
            c.write(dir);
        }
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ImageFolderDataset ds = ImageFolderDataset.builder().folder(dir).cropSize(8).batchSize(2)
                    .unreadable(ImageFolderDataset.UnreadablePolicy.SKIP).build()) {
                assertThatThrownBy(ds::nextBatch).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("could be read");
            }
        });
    }
}
