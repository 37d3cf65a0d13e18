package org.stylegan.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class ImageFolderDatasetTest {
    @TempDir
    Path dir;

    @BeforeEach
    void images() throws IOException {
        Files.createDirectories(dir.resolve("b/nested"));
        Images.writePng(TestSupport.noiseImage(24, 20, 1), dir.resolve("a1.png"));
        Images.writeJpeg(TestSupport.noiseImage(20, 30, 2), dir.resolve("b/B2.JPG"), 0.9f);
        Images.writePng(TestSupport.noiseImage(16, 16, 3), dir.resolve("b/nested/c3.PNG"));
        Files.write(dir.resolve("b/nested/c4.bmp"), TestSupport.encode(TestSupport.noiseImage(18, 17, 4), "bmp"));
        Images.writePng(TestSupport.noiseImage(16, 16, 5), dir.resolve("a0.png"));
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        Images.writePng(TestSupport.noiseImage(16, 16, 6), dir.resolve(".hidden.png"));
    }

    private ImageFolderDataset.Builder base() {
        return ImageFolderDataset.builder().folder(dir).cropSize(8).batchSize(3).seed(7);
    }

    @Test
    void scansRecursivelyCaseInsensitiveSortedSkippingHidden() {
        try (ImageFolderDataset ds = base().prefetch(0).build()) {
            List<String> names = ds.files().stream().map(p -> dir.relativize(p).toString().replace('\\', '/')).toList();
            assertThat(names).containsExactly("a0.png", "a1.png", "b/B2.JPG", "b/nested/c3.PNG", "b/nested/c4.bmp");
        }
        try (ImageFolderDataset ds = base().prefetch(0).extensions(".PNG").build()) {
            assertThat(ds.files()).hasSize(3);
        }
    }

    @Test
    void batchesAreNchwInRange() {
        try (ImageFolderDataset ds = base().build()) {
            INDArray b = ds.nextBatch();
            assertThat(b.shape()).containsExactly(3, 3, 8, 8);
            assertThat(b.minNumber().doubleValue()).isGreaterThanOrEqualTo(-1);
            assertThat(b.maxNumber().doubleValue()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void deterministicForASeedWithOrWithoutPrefetch() {
        List<INDArray> sync = take(base().prefetch(0), 6);
        List<INDArray> pre = take(base().prefetch(3), 6);
        List<INDArray> pre1 = take(base().prefetch(1), 6);
        for (int i = 0; i < 6; i++) {
            TestSupport.assertAllClose(pre.get(i), sync.get(i), 0, 0);
            TestSupport.assertAllClose(pre1.get(i), sync.get(i), 0, 0);
        }
        List<INDArray> other = take(base().prefetch(0).seed(8), 6);
        boolean differs = false;
        for (int i = 0; i < 6; i++) {
            differs |= !other.get(i).equals(sync.get(i));
        }
        assertThat(differs).isTrue();
    }

    @Test
    void epochsRollOverAndReshuffle() {
        // 5 files, batches of 5, no augmentation randomness besides order: epoch orders should differ.
        try (ImageFolderDataset ds = base().batchSize(5).resizeTo(8).flip(false).prefetch(0).build()) {
            INDArray e0 = ds.nextBatch();
            assertThat(ds.epoch()).isZero();
            INDArray e1 = ds.nextBatch();
            assertThat(ds.epoch()).isEqualTo(1);
            List<INDArray> e2 = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                e2.add(ds.nextBatch());
            }
            assertThat(ds.epoch()).isEqualTo(4);
            assertThat(e0.equals(e1) && e1.equals(e2.get(0)) && e2.get(0).equals(e2.get(1))).isFalse();
        }
    }

    private static List<INDArray> take(ImageFolderDataset.Builder b, int n) {
        List<INDArray> out = new ArrayList<>();
        try (ImageFolderDataset ds = b.build()) {
            for (int i = 0; i < n; i++) {
                out.add(ds.nextBatch());
            }
        }
        return out;
    }

    @Test
    void closeStopsThePrefetchThread() throws InterruptedException {
        long before = prefetchThreads();
        ImageFolderDataset a = base().prefetch(2).build();
        ImageFolderDataset b = base().prefetch(2).build();
        a.nextBatch();
        Thread.sleep(50); // let the producers fill their queues and block
        assertThat(prefetchThreads()).isEqualTo(before + 2);
        a.close();
        b.close();
        b.close(); // idempotent
        assertThat(prefetchThreads()).isEqualTo(before);
        assertThatThrownBy(a::nextBatch).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        try (ImageFolderDataset c = base().prefetch(0).build()) {
            c.nextBatch();
            assertThat(prefetchThreads()).isEqualTo(before);
        }
    }

    private static long prefetchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(ImageFolderDataset.THREAD_NAME_PREFIX)).count();
    }

    @Test
    void unreadableFileFailsFastByDefaultNamingIt() throws IOException {
        Path bad = dir.resolve("b/broken.png");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5});
        for (int prefetch : new int[] {0, 2}) {
            try (ImageFolderDataset ds = base().batchSize(6).prefetch(prefetch).build()) {
                assertThatThrownBy(ds::nextBatch).isInstanceOf(UncheckedIOException.class)
                        .hasMessageContaining(bad.toString()).hasMessageContaining("UnreadablePolicy.SKIP")
                        .hasCauseInstanceOf(ImageReadException.class);
                assertThatThrownBy(ds::nextBatch).isInstanceOf(UncheckedIOException.class); // stays failed
            }
        }
    }

    @Test
    void skipPolicySkipsAndReports() throws IOException {
        Path bad = dir.resolve("b/broken.png");
        Path empty = dir.resolve("zero.png");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5});
        Files.createFile(empty);
        List<INDArray> withPrefetch;
        try (ImageFolderDataset ds = base().unreadable(ImageFolderDataset.UnreadablePolicy.SKIP).prefetch(2).build()) {
            assertThat(ds.files()).hasSize(7);
            withPrefetch = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                INDArray b = ds.nextBatch();
                assertThat(b.shape()).containsExactly(3, 3, 8, 8);
                withPrefetch.add(b);
            }
            assertThat(ds.skipped()).containsExactlyInAnyOrder(bad, empty);
        }
        List<INDArray> sync = take(base().unreadable(ImageFolderDataset.UnreadablePolicy.SKIP).prefetch(0), 5);
        for (int i = 0; i < 5; i++) {
            TestSupport.assertAllClose(withPrefetch.get(i), sync.get(i), 0, 0);
        }
    }

    @Test
    void allFilesUnreadableIsAnError() throws IOException {
        Path only = Files.createDirectories(dir.resolve("bad"));
        Files.write(only.resolve("x.png"), new byte[] {9, 9, 9});
        try (ImageFolderDataset ds = ImageFolderDataset.builder().folder(only).cropSize(4)
                .unreadable(ImageFolderDataset.UnreadablePolicy.SKIP).build()) {
            assertThatThrownBy(ds::nextBatch).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("none of the 1 files");
        }
    }

    @Test
    void emptyOrMissingFolderIsAnError() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("readme.txt"), "x");
        assertThatThrownBy(() -> ImageFolderDataset.builder().folder(empty).cropSize(8).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(empty.toString()).hasMessageContaining("[png, jpg, jpeg, bmp, gif]");
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> ImageFolderDataset.builder().folder(missing).cropSize(8).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void builderValidates() {
        assertThatThrownBy(() -> ImageFolderDataset.builder().folder(dir).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cropSize must be >= 1, found 0");
        assertThatThrownBy(() -> base().batchSize(0).build()).hasMessageContaining("batchSize must be >= 1, found 0");
        assertThatThrownBy(() -> base().resizeTo(4).build()).hasMessageContaining("resizeTo must be >= cropSize");
        assertThatThrownBy(() -> base().prefetch(-1).build()).hasMessageContaining("prefetch must be >= 0");
        assertThatThrownBy(() -> ImageFolderDataset.builder().cropSize(3).build()).hasMessageContaining("folder must be set");
    }
}
