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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stylegan.io.Manifest;
import org.stylegan.io.ModelArchive;

/**
 * Kills a child JVM that trains and saves checkpoints ({@link CheckpointKillChild}) with SIGKILL
 * ({@code destroyForcibly}) at random moments, 20 times. After every kill the checkpoint must load and be at
 * least as new as the last save the child reported complete; each new child resumes from it. Finally, the
 * surviving checkpoint, resumed in a child JVM, must give the same next step as an uninterrupted run, bit for bit.
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
            Process p = childProcess(dir.toString()).start();
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
        String resumed = runChild(dir.toString(), "resume-next");
        String reference = runChild(dir.toString(), "reference", Integer.toString(k));
        assertThat(resumed).startsWith("fingerprint step " + k + " ").isEqualTo(reference);
        System.out.println("crash-safety: resumed at step " + k + ": " + resumed);
    }

    /** Runs a child JVM to its end and returns its fingerprint line. */
    private static String runChild(String... args) throws Exception {
        Process p = childProcess(args).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().filter(l -> l.startsWith("fingerprint")).findFirst().orElseThrow(
                () -> new AssertionError("no fingerprint in child output: " + out));
    }

    private static ProcessBuilder childProcess(String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                CheckpointKillChild.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // One OpenMP thread: spinning OpenMP threads of several JVMs on 2 shared cores cost 10-20x, and every
        // child must use the same thread count for bit-identical results.
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb;
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
