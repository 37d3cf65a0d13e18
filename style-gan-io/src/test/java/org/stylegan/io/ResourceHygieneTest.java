package org.stylegan.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylegan.io.testing.BadImageCorpus;
import org.stylegan.io.testing.Resources;

/** Datasets, image reads (good and bad) and model saves leave no threads or file descriptors behind. */
class ResourceHygieneTest {
    @TempDir
    Path tmp;

    @Test
    void datasetsAndReadsLeakNoThreadsOrFileDescriptors() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("corpus"));
        BadImageCorpus.all().forEach(c -> c.write(dir));
        cycle(dir); // warm-up: class loading opens jars once
        int fds = Resources.openFileDescriptors();
        int threads = Resources.threadCount();
        for (int i = 0; i < 10; i++) {
            cycle(dir);
        }
        assertThat(Resources.await(() -> Resources.threads(t -> t.getName()
                .startsWith(ImageFolderDataset.THREAD_NAME_PREFIX)).isEmpty(), 5_000))
                .as("prefetch threads alive: %s", Resources.threads(t -> true)).isTrue();
        assertThat(Resources.await(() -> Resources.threadCount() <= threads, 5_000))
                .as("threads before %d, after: %s", threads, Resources.threads(t -> true)).isTrue();
        if (fds >= 0) {
            assertThat(Resources.await(() -> Resources.openFileDescriptors() <= fds, 5_000))
                    .as("open file descriptors: before %d, after %d", fds, Resources.openFileDescriptors()).isTrue();
        }
    }

    private void cycle(Path dir) throws Exception {
        for (ImageFolderDataset.UnreadablePolicy policy : ImageFolderDataset.UnreadablePolicy.values()) {
            for (int prefetch : new int[] {0, 3}) {
                try (ImageFolderDataset ds = ImageFolderDataset.builder().folder(dir).cropSize(8).batchSize(4)
                        .prefetch(prefetch).unreadable(policy).build()) {
                    for (int b = 0; b < 3; b++) {
                        try {
                            ds.nextBatch();
                        } catch (java.io.UncheckedIOException expected) {
                            break; // FAIL policy on a corrupt file
                        }
                    }
                }
            }
        }
        // Closing a dataset whose prefetch thread is blocked on a full queue must also end it.
        ImageFolderDataset idle = ImageFolderDataset.builder().folder(dir).cropSize(8).batchSize(1).prefetch(1)
                .unreadable(ImageFolderDataset.UnreadablePolicy.SKIP).build();
        Thread.sleep(20);
        idle.close();
        for (BadImageCorpus.Case c : BadImageCorpus.all()) {
            try {
                Images.read(dir.resolve(c.fileName()));
            } catch (ImageReadException expected) {
                // refused cases
            }
        }
        Images.writePng(BadImageCorpus.photo(8, 8), tmp.resolve("out.png"));
        ModelArchive.create(Manifest.Kind.MODEL).putBytes("x", new byte[10]).save(tmp.resolve("m.sgm"));
        ModelArchive.load(tmp.resolve("m.sgm"));
        try {
            ModelArchive.load(dir.resolve("truncated.png"));
        } catch (ModelFormatException expected) {
            // not a model
        }
    }
}
