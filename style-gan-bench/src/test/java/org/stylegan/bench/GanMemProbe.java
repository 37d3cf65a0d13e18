package org.stylegan.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.Pointer;

/** Probe (not a test): the batch-N GAN iteration in a loop, per step RSS, its high-water mark and JavaCPP's counts. */
public final class GanMemProbe {
    private GanMemProbe() {
    }

    static long statusKb(String key) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith(key + ":")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    static long gcs() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += b.getCollectionCount();
        }
        return n;
    }

    public static void main(String[] a) throws Exception {
        int steps = Integer.parseInt(a[0]);
        int batch = Integer.parseInt(a[1]);
        ComposedGanStep step = ComposedGanStep.reference(batch);
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            step.step();
            double ms = (System.nanoTime() - t0) / 1e6;
            if (Boolean.getBoolean("probe.gc")) {
                System.gc();
                Thread.sleep(200);
            }
            System.out.printf("%3d %7.0f ms rss %5d MB hwm %5d MB javacpp total %5d MB physical %5d MB pointers %6d gcs %d%n",
                    i, ms, statusKb("VmRSS") / 1024, statusKb("VmHWM") / 1024, Pointer.totalBytes() >> 20,
                    Pointer.physicalBytes() >> 20, Pointer.totalCount(), gcs());
        }
    }
}
