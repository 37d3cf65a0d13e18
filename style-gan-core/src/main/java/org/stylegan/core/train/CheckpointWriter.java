package org.stylegan.core.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylegan.io.AtomicFiles;

/**
 * Writes the run's checkpoint when it is due: {@code checkpointDir/checkpoint.zip} every
 * {@link TrainerConfig#checkpointEvery()} steps and at the end (or after a stop request), atomically through
 * {@link TrainingArchive}, then tells the listeners. The first write deletes temporary files an interrupted save
 * left next to the checkpoint.
 */
final class CheckpointWriter {
    /** Writes a checkpoint to a file. */
    interface Save {
        void to(Path file) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointWriter.class);

    private final TrainerConfig cfg;
    private boolean staleTempsCleared;

    CheckpointWriter(TrainerConfig cfg) {
        this.cfg = cfg;
    }

    /** Writes the checkpoint if one is due after {@code step} steps ({@code last}: the run ends here). */
    void afterStep(int step, boolean last, Save save, List<TrainingListener> listeners) {
        if (cfg.checkpointDir() == null || !(last || (cfg.checkpointEvery() > 0 && step % cfg.checkpointEvery() == 0))) {
            return;
        }
        try {
            Files.createDirectories(cfg.checkpointDir());
            Path file = cfg.checkpointDir().resolve(GanTrainer.CHECKPOINT_FILE);
            if (!staleTempsCleared) {
                // A process killed while saving leaves its temp file; this trainer now owns the checkpoint.
                int n = AtomicFiles.deleteStaleTemps(file);
                if (n > 0) {
                    LOG.info("deleted {} temporary file(s) left by an interrupted save of {}", n, file);
                }
                staleTempsCleared = true;
            }
            save.to(file);
            listeners.forEach(l -> l.onCheckpoint(step, file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint to " + cfg.checkpointDir(), e);
        }
    }
}
