package org.stylegan.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylegan.core.StyleModel;
import org.stylegan.core.StyleTransfer;
import org.stylegan.io.ImageFolderDataset;
import org.stylegan.io.Images;
import org.stylegan.io.testing.Resources;

/** Trainers over image folders, checkpoints, resumes and model loads leave no threads or file descriptors. */
class TrainerResourceHygieneTest {
    @TempDir
    Path tmp;

    @Test
    void closedTrainersLeakNoThreadsOrFileDescriptors() throws Exception {
        Path content = TrainFixtures.writeContent(Files.createDirectories(tmp.resolve("content")), 3, 36);
        Path style = tmp.resolve("style.png");
        Images.writePng(TrainFixtures.styleImage(32), style);
        cycle(content, style); // warm-up: class loading, ND4J's own pools
        int fds = Resources.openFileDescriptors();
        int threads = Resources.threadCount();
        for (int i = 0; i < 2; i++) {
            cycle(content, style);
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

    private void cycle(Path content, Path style) throws Exception {
        TrainerConfig cfg = TrainFixtures.tiny().steps(2).checkpointDir(tmp.resolve("ck")).checkpointEvery(1).build();
        try (ContentSource src = ContentSource.folder(content, 32, 2, 1);
             GanTrainer t = GanTrainer.create(cfg, src, List.of(TrainFixtures.styleTensor(32)))) {
            t.train();
        }
        Path ck = tmp.resolve("ck").resolve(GanTrainer.CHECKPOINT_FILE);
        TrainerConfig more = cfg.toBuilder().steps(3).build();
        try (ContentSource src = ContentSource.folder(content, 32, 2, 1);
             GanTrainer t = GanTrainer.resume(ck, more, src, List.of(TrainFixtures.styleTensor(32)))) {
            t.train();
        }
        StyleModel m = StyleTransfer.builder().config(TrainFixtures.tiny().steps(1).build()).build().fit(content, style);
        m.save(tmp.resolve("m.sgm"));
        StyleModel.load(tmp.resolve("m.sgm")).stylizeAll(content, tmp.resolve("out"));
    }
}
