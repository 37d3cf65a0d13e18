package org.stylegan.bench;


/**
 * Probe (not a test): the GAN iteration with a forced collection after each phase. The drop in the resident set at
 * a phase's end is native memory that phase left for the garbage collector. Run it with glibc's default malloc
 * settings (not bench_env.sh's), so that freed blocks of 32 MB and more leave the resident set. Args: steps, batch.
 */
public final class GanPhaseProbe {
    private GanPhaseProbe() {
    }

    public static void main(String[] a) throws Exception {
        int steps = Integer.parseInt(a[0]);
        int batch = Integer.parseInt(a[1]);
        ComposedGanStep step = ComposedGanStep.reference(batch);
        for (int i = 0; i < steps; i++) {
            boolean print = i >= steps - 2;
            if (print) {
                System.out.println("step " + i);
            }
            step.step(phase -> {
                try {
                    long before = GanMemProbe.statusKb("VmRSS");
                    System.gc();
                    Thread.sleep(150); // ND4J's deallocator thread frees what the collection found
                    long after = GanMemProbe.statusKb("VmRSS");
                    if (print) {
                        System.out.printf("  %-48s rss %5d MB, left for the collector %5d MB%n", phase,
                                after / 1024, (before - after) / 1024);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }
}
