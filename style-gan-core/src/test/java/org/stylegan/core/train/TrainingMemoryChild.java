package org.stylegan.core.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The child JVM of {@link TrainingMemoryTest} (not a test itself): trains N steps and prints resident memory
 * (VmRSS/VmHWM), live ND4J native objects and step times. Args: {@code tiny64|quick [steps]}; {@code -Dprobe.gc=true} collects after every step.
 * Run: java -cp target/test-classes:target/classes:$(deps) org.stylegan.core.train.TrainingMemoryChild tiny64 60
 */
public final class TrainingMemoryChild {
    private TrainingMemoryChild() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "tiny64";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        TrainerConfig cfg;
        int size;
        if (which.equals("quick")) {
            size = 128;
            cfg = TrainerConfig.builder().steps(steps).build();
        } else {
            size = 64;
            cfg = TrainFixtures.tiny().imageSize(64).styleSize(64).discriminatorCrop(32).batchSize(1)
                    .imagePoolSize(4).steps(steps).build();
        }
        double[] ms = new double[steps];
        try (GanTrainer t = GanTrainer.create(cfg, ContentSource.images(TrainFixtures.contentImages(4, size + 16),
                size, cfg.batchSize(), 5), List.of(TrainFixtures.styleTensor(cfg.styleSize())))) {
            for (int s = 0; s < steps; s++) {
                long t0 = System.nanoTime();
                t.step();
                ms[s] = (System.nanoTime() - t0) / 1e6;
                if (Boolean.getBoolean("probe.gc")) {
                    System.gc(); // -Dprobe.gc=true: how much of the resident set waits for the collector
                    Thread.sleep(150);
                }
                if ((s + 1) % 10 == 0) {
                    System.out.printf("step %3d: %s live=%d ms=%.0f%n", s + 1, status(), SoakTest.liveNd4jObjects(),
                            ms[s]);
                }
            }
        }
        double[] tail = Arrays.copyOfRange(ms, Math.min(10, steps - 1), steps);
        Arrays.sort(tail);
        System.out.printf("RESULT %s steps=%d median_ms=%.0f p90_ms=%.0f %s%n", which, steps, tail[tail.length / 2],
                tail[(int) (tail.length * 0.9)], status());
    }

    static String status() throws Exception {
        String rss = "0";
        String hwm = "0";
        Path status = Path.of("/proc/self/status");
        for (String l : Files.exists(status) ? Files.readAllLines(status) : List.<String>of()) {
            if (l.startsWith("VmRSS:")) {
                rss = l.replaceAll("\\D+", "");
            } else if (l.startsWith("VmHWM:")) {
                hwm = l.replaceAll("\\D+", "");
            }
        }
        return String.format("rss=%.0fMB hwm=%.0fMB", Long.parseLong(rss) / 1024.0, Long.parseLong(hwm) / 1024.0);
    }
}
