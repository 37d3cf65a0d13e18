package org.stylegan.core.train;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of {@link CrashSafetyTest}: resumes from {@code <dir>/checkpoint.zip} if it exists (else starts a
 * fresh tiny run), then forever trains one step (up to {@link #STEPS}) and saves the checkpoint three times,
 * printing {@code begin <step>} before and {@code saved <step>} after each save, until it is killed.
 */
public final class CheckpointKillChild {
    /** Steps of the tiny run; after that the child only keeps saving. */
    static final int STEPS = 4;

    private CheckpointKillChild() {
    }

    /** The tiny run's config (the parent builds its uninterrupted reference run from the same one). */
    static TrainerConfig config() {
        return TrainFixtures.tiny().steps(STEPS).gamma(0.1).imagePoolSize(2).build();
    }

    /** Step, losses and a hash of both networks' parameters, exact. */
    static String fingerprint(StepEvent e, GanTrainer t) {
        return "fingerprint step " + e.step() + " total " + e.total() + " terms " + e.terms() + " d " + e.discriminatorLoss()
                + " G " + java.util.Arrays.hashCode(t.generator().graph().params().data().asFloat())
                + " D " + java.util.Arrays.hashCode(t.discriminator().graph().params().data().asFloat());
    }

    static ContentSource content() {
        return ContentSource.images(TrainFixtures.contentImages(3, 40), 32, 2, 11);
    }

    /**
     * Entry point: {@code args[0]} is the checkpoint folder. With {@code args[1] = "resume-next"} it resumes and
     * prints the next step's fingerprint; with {@code "reference" <k>} it runs steps 0..k uninterrupted and
     * prints step k's fingerprint. Fingerprints are compared bit for bit, so both run in child JVMs with the
     * same thread count (a different OpenMP thread count changes float summation order).
     */
    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        Path file = Path.of(args[0]).resolve(GanTrainer.CHECKPOINT_FILE);
        TrainerConfig more = config().toBuilder().steps(STEPS + 1).build();
        if (args.length > 1 && args[1].equals("resume-next")) {
            try (GanTrainer t = GanTrainer.resume(file, more, content(), List.of(TrainFixtures.styleTensor(32)))) {
                out.println(fingerprint(t.step(), t));
            }
            return;
        }
        if (args.length > 1 && args[1].equals("reference")) {
            int k = Integer.parseInt(args[2]);
            try (GanTrainer t = GanTrainer.create(more, content(), List.of(TrainFixtures.styleTensor(32)))) {
                StepEvent e = null;
                for (int i = 0; i <= k; i++) {
                    e = t.step();
                }
                out.println(fingerprint(e, t));
            }
            return;
        }
        GanTrainer t = Files.exists(file)
                ? GanTrainer.resume(file, null, content(), List.of(TrainFixtures.styleTensor(32)))
                : GanTrainer.create(config(), content(), List.of(TrainFixtures.styleTensor(32)));
        out.println("ready " + t.currentStep());
        out.flush();
        while (true) {
            if (t.currentStep() < STEPS) {
                t.step();
            }
            for (int i = 0; i < 3; i++) {
                out.println("begin " + t.currentStep());
                out.flush();
                t.saveCheckpoint(file);
                out.println("saved " + t.currentStep());
                out.flush();
            }
        }
    }
}
