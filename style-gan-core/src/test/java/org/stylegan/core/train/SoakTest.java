package org.stylegan.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a tiny GAN (64 px in the long version) for many steps and samples memory: resident set (JavaCPP
 * {@link Pointer#physicalBytes()}), JavaCPP-tracked off-heap ({@link Pointer#totalBytes()}), ND4J workspaces of
 * this thread and the Java heap after GC. After warm-up the off-heap figures must stay flat: a workspace or
 * buffer leak of even a few KB per step shows up over hundreds of steps.
 */
class SoakTest {
    /** CI version: 200 steps at 32 px (a third of the 64 px step time), looser bound. */
    @Test
    void twoHundredStepsKeepMemoryFlat() throws Exception {
        soak(200, 32, 50, 10, 0.15);
    }

    @Test
    @Tag("long")
    void twoThousandStepsKeepMemoryFlat() throws Exception {
        soak(2000, 64, 200, 50, 0.05);
    }

    /** One memory sample. */
    record Sample(int step, long rss, long javacpp, long workspaces, long heap, long heapCommitted, long nd4jLive) {
        @Override
        public String toString() {
            return String.format("step %5d: rss %7.1f MB, javacpp %5.1f MB, workspaces %5.1f MB, heap %6.1f MB "
                    + "(committed %6.1f MB), live ND4J objects %d", step, rss / 1e6, javacpp / 1e6, workspaces / 1e6,
                    heap / 1e6, heapCommitted / 1e6, nd4jLive);
        }
    }

    private static void soak(int steps, int size, int warmup, int every, double tolerance) throws Exception {
        TrainerConfig cfg = TrainFixtures.tiny().imageSize(size).styleSize(size).discriminatorCrop(32).batchSize(1)
                .imagePoolSize(4).steps(steps).build();
        List<Sample> samples = new ArrayList<>();
        long t0 = System.nanoTime();
        try (GanTrainer t = GanTrainer.create(cfg, ContentSource.images(TrainFixtures.contentImages(4, size + 16), size, 1, 5),
                List.of(TrainFixtures.styleTensor(size)))) {
            for (int s = 1; s <= steps; s++) {
                t.step();
                if (s >= warmup && (s - warmup) % every == 0) {
                    samples.add(sample(s));
                    System.out.println("soak " + samples.get(samples.size() - 1));
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        // Medians of the first and the last three samples, so one late GC or allocator hiccup decides nothing.
        Sample first = median(samples.subList(0, 3));
        Sample last = median(samples.subList(samples.size() - 3, samples.size()));
        StringBuilder report = new StringBuilder(String.format("soak: %d steps at %d px in %.0f s (%.0f ms/step)%n",
                steps, size, seconds, seconds * 1000 / steps));
        samples.forEach(x -> report.append("  ").append(x).append('\n'));
        report.append(String.format("  growth after warm-up: rss %+.2f%%, javacpp %+.2f%%, workspaces %+.2f%%, "
                        + "heap %+.1f MB, live ND4J objects %+d", pct(first.rss(), last.rss()),
                pct(first.javacpp(), last.javacpp()), pct(first.workspaces(), last.workspaces()),
                (last.heap() - first.heap()) / 1e6, last.nd4jLive() - first.nd4jLive()));
        System.out.println(report);
        assertThat(last.rss()).as(report.toString()).isLessThanOrEqualTo((long) (first.rss() * (1 + tolerance)));
        assertThat(last.javacpp()).as(report.toString())
                .isLessThanOrEqualTo((long) (first.javacpp() * (1 + tolerance)) + (1 << 20));
        assertThat(last.workspaces()).as(report.toString())
                .isLessThanOrEqualTo((long) (first.workspaces() * (1 + tolerance)) + (1 << 20));
        // Native buffers not yet freed (ND4J's deallocator map): a leak of even one array per step shows here.
        assertThat(last.nd4jLive()).as(report.toString())
                .isLessThanOrEqualTo((long) (first.nd4jLive() * (1 + tolerance)) + 50);
        // The trainer keeps one StepEvent per step (its history): ~1 KB each, nothing else may pile up.
        assertThat(last.heap() - first.heap()).as(report.toString()).isLessThan(32L << 20);
    }

    private static Sample sample(int step) throws InterruptedException {
        // ND4J frees native buffers on its deallocator threads after a GC has collected their owners: collect
        // until the live count settles (hundreds of thousands of dead arrays can be waiting at 64 px).
        long live = Long.MAX_VALUE;
        for (int i = 0; i < 40; i++) {
            System.gc();
            Thread.sleep(100);
            long now = liveNd4jObjects();
            if (now >= live) {
                break;
            }
            live = now;
        }
        long ws = 0;
        for (MemoryWorkspace w : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
            ws += w.getCurrentSize();
        }
        java.lang.management.MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new Sample(step, Pointer.physicalBytes(), Pointer.totalBytes(), ws, heap.getUsed(), heap.getCommitted(),
                liveNd4jObjects());
    }

    /**
     * Native ND4J objects (array buffers, shape infos) whose Java owner is still reachable or not yet collected:
     * the size of the {@code DeallocatorService}'s reference map. JavaCPP's counters do not see libnd4j's buffers.
     */
    static long liveNd4jObjects() {
        try {
            Object service = Nd4j.getDeallocatorService();
            java.lang.reflect.Field f = service.getClass().getDeclaredField("referenceMap");
            f.setAccessible(true);
            return ((java.util.Map<?, ?>) f.get(service)).size();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ND4J's DeallocatorService changed: " + e, e);
        }
    }

    private static Sample median(List<Sample> s) {
        return new Sample(s.get(s.size() - 1).step(), med(s.stream().mapToLong(Sample::rss).toArray()),
                med(s.stream().mapToLong(Sample::javacpp).toArray()), med(s.stream().mapToLong(Sample::workspaces).toArray()),
                med(s.stream().mapToLong(Sample::heap).toArray()), med(s.stream().mapToLong(Sample::heapCommitted).toArray()),
                med(s.stream().mapToLong(Sample::nd4jLive).toArray()));
    }

    private static long med(long[] v) {
        java.util.Arrays.sort(v);
        return v[v.length / 2];
    }

    private static double pct(long a, long b) {
        return a == 0 ? 0 : (b - a) * 100.0 / a;
    }
}
