package org.stylegan.io.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Counts this JVM's live threads and open file descriptors, for leak tests. */
public final class Resources {
    private Resources() {
    }

    /** Open file descriptors of this process (Linux: entries of /proc/self/fd), or -1 where there is no /proc. */
    public static int openFileDescriptors() {
        Path fd = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fd)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(fd)) {
            return (int) s.count() - 1; // minus the descriptor of the listing itself
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Names of live threads (from {@link Thread#getAllStackTraces()}) that match the filter. */
    public static List<String> threads(Predicate<Thread> filter) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).filter(filter)
                .map(Thread::getName).sorted().toList();
    }

    /** The number of live threads. */
    public static int threadCount() {
        return threads(t -> true).size();
    }

    /** Waits up to {@code millis} for {@code condition}, running GC in between (finalisers close leaked streams). */
    public static boolean await(java.util.function.BooleanSupplier condition, long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > end) {
                return false;
            }
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
