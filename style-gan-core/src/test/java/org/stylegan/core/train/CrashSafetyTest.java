package org.stylegan.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylegan.io.Manifest;
import org.stylegan.io.ModelArchive;

/**
 * Kills a child JVM that trains and saves checkpoints ({@link CheckpointKillChild}) with SIGKILL
 * ({@code destroyForcibly}) at random moments, 20 times. After every kill the checkpoint must load and be at
 * least as new as the last save the child reported complete; each new child resumes from it. Finally, the
 * surviving checkpoint resumed in this JVM must give the same next step as an uninterrupted run.
 */
class CrashSafetyTest {
    private static final Logger LOG = LoggerFactory.getLogger(CrashSafetyTest.class);
    static final int KILLS = 20;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 400, unit = TimeUnit.SECONDS)
    void killedWhileSavingTheLastCheckpointAlwaysLoadsAndResumesExactly() throws Exception {
        Random r = new Random(20);
        Path file = dir.resolve(GanTrainer.CHECKPOINT_FILE);
        int duringSave = 0;
        long t0 = System.nanoTime();
        for (int kill = 0; kill < KILLS; kill++) {
            ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp",
                    System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                    CheckpointKillChild.class.getName(), dir.toString()).redirectErrorStream(true);
            // One OpenMP thread: spinning OpenMP threads of several JVMs on 2 shared cores cost 10-20x.
            pb.environment().put("OMP_NUM_THREADS", "1");
            Process p = pb.start();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l; (l = in.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (IOException ignored) {
                    // the pipe breaks when the child is killed
                }
            }, "child-reader");
            reader.start();
            // Wait for the first completed save, then kill after a random number of further lines (0..5 saves).
            String last = await(lines, l -> l.startsWith("saved"), p);
            int lastSaved = stepOf(last);
            int extra = r.nextInt(12);
            for (int i = 0; i < extra; i++) {
                String l = lines.poll(30, TimeUnit.SECONDS);
                assertThat(l).as("child output").isNotNull();
                last = l;
                lastSaved = l.startsWith("saved") ? stepOf(l) : lastSaved;
            }
            Thread.sleep(r.nextInt(40)); // land anywhere inside the next save or step
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(5_000);
            List<String> drained = new ArrayList<>();
            lines.drainTo(drained);
            for (String l : drained) {
                last = l;
                lastSaved = l.startsWith("saved") ? stepOf(l) : lastSaved;
            }
            if (last.startsWith("begin")) {
                duringSave++;
            }
            ModelArchive a = ModelArchive.load(file); // must never throw
            assertThat(a.manifest().kind()).isEqualTo(Manifest.Kind.CHECKPOINT);
            assertThat(a.manifest().step()).as("kill %d: checkpoint step vs last reported save", kill)
                    .isGreaterThanOrEqualTo(lastSaved);
            assertThat(p.exitValue()).isNotZero();
        }
        long leftovers;
        try (Stream<Path> s = Files.list(dir)) {
            leftovers = s.filter(f -> f.getFileName().toString().endsWith(".tmp")).count();
        }
        LOG.info("{} kills ({} during a save) in {} s; {} temp files left behind", KILLS, duringSave,
                (System.nanoTime() - t0) / 1_000_000_000L, leftovers);
        System.out.printf("crash-safety: %d kills, %d during a save, %d temp files left, %d s%n", KILLS, duringSave,
                leftovers, (System.nanoTime() - t0) / 1_000_000_000L);
        assertThat(duringSave).as("kills that landed inside a save").isPositive();

        // The surviving checkpoint resumes exactly: its next step equals the uninterrupted run's.
        int k = (int) ModelArchive.load(file).manifest().step();
        assertThat(k).isBetween(1, CheckpointKillChild.STEPS);
        TrainerConfig more = CheckpointKillChild.config().toBuilder().steps(CheckpointKillChild.STEPS + 1).build();
        StepEvent resumed;
        INDArray resumedParams;
        try (GanTrainer t = GanTrainer.resume(file, more, CheckpointKillChild.content(),
                List.of(TrainFixtures.styleTensor(32)))) {
            resumed = t.step();
            resumedParams = t.generator().graph().params().dup();
        }
        StepEvent reference = null;
        INDArray referenceParams;
        try (GanTrainer t = GanTrainer.create(more, CheckpointKillChild.content(),
                List.of(TrainFixtures.styleTensor(32)))) {
            for (int i = 0; i <= k; i++) {
                reference = t.step();
            }
            referenceParams = t.generator().graph().params().dup();
        }
        assertThat(resumed.step()).isEqualTo(k);
        assertThat(resumed.total()).isCloseTo(reference.total(), org.assertj.core.data.Offset.offset(1e-5 * Math.abs(reference.total())));
        for (String term : reference.terms().keySet()) {
            assertThat(resumed.terms().get(term)).as(term)
                    .isCloseTo(reference.terms().get(term), org.assertj.core.data.Percentage.withPercentage(1e-3));
        }
        assertThat(resumed.discriminatorLoss()).isCloseTo(reference.discriminatorLoss(),
                org.assertj.core.data.Percentage.withPercentage(1e-3));
        double diff = resumedParams.sub(referenceParams).norm2Number().doubleValue();
        assertThat(diff).as("generator parameters after the resumed step").isLessThan(
                1e-5 * referenceParams.norm2Number().doubleValue());
    }

    private static String await(BlockingQueue<String> lines, java.util.function.Predicate<String> what, Process p)
            throws InterruptedException {
        List<String> seen = new ArrayList<>();
        while (true) {
            String l = lines.poll(120, TimeUnit.SECONDS);
            if (l == null) {
                throw new AssertionError("child printed nothing for 120 s; alive " + p.isAlive() + "; output " + seen);
            }
            seen.add(l);
            if (what.test(l)) {
                return l;
            }
        }
    }

    private static int stepOf(String line) {
        return Integer.parseInt(line.substring(line.indexOf(' ') + 1).trim());
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
