package org.stylegan.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.stylegan.core.internal.FastPath;

/**
 * Checks and helpers shared by the benchmarks: thread count, oneDNN, fixed-seed inputs, peak memory.
 *
 * <p>Every benchmark runs on {@value #DEFAULT_THREADS} threads (the peer's {@code torch.set_num_threads(2)}),
 * so ratios compare the same hardware. ND4J and oneDNN take their thread count from {@code OMP_NUM_THREADS} when
 * the backend loads; JMH forks inherit the parent's environment, so set it before {@code java -jar}
 * ({@code compare.sh} does).
 */
final class BenchSupport {
    /** Threads the benchmarks expect; override with {@code -Dstylegan.bench.threads=N} (in jvmArgsAppend). */
    static final int DEFAULT_THREADS = 2;

    /** Prefix of the peak-memory line that {@code compare.sh} reads from the JMH output. */
    static final String PEAK_RSS_PREFIX = "# stylegan-peak-rss-kb ";

    private BenchSupport() {
    }

    /**
     * Fails unless ND4J runs on the expected number of threads and the oneDNN path is active: a benchmark of
     * the wrong configuration gives a believable but meaningless number.
     */
    static void checkEnvironment() {
        FastPath.ensureEnabled();
        int expected = Integer.getInteger("stylegan.bench.threads", DEFAULT_THREADS);
        int nd4j = Nd4j.getEnvironment().maxThreads();
        if (nd4j != expected) {
            throw new IllegalStateException("ND4J uses " + nd4j + " threads, the benchmarks expect " + expected
                    + " (OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + "); run with OMP_NUM_THREADS="
                    + expected + " in the environment (style-gan-bench/compare.sh sets it)");
        }
        if (!FastPath.isOneDnnActive()) {
            throw new IllegalStateException("oneDNN layer helpers are not active: convolutions would take the slow"
                    + " built-in path; build with an nd4j-native '-onednn' classifier");
        }
    }

    /**
     * Frees a step's temporaries now, as GanTrainer does after each step: ND4J releases native memory only when the
     * GC collects an array's owner, and every fresh multi-megabyte allocation pays its page faults again (a 16 MB
     * array: ~6 ms fresh, ~1 ms when the allocator reuses a freed block). PyTorch frees on the last reference.
     */
    static void close(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && !a.wasClosed()) {
                a.close();
            }
        }
    }

    /** Returns a fixed-seed float tensor uniform in [-1, 1), like the peer's {@code torch.rand(...) * 2 - 1}. */
    static INDArray uniform(long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, shape).muli(2).subi(1);
    }

    /**
     * Prints this JVM's peak resident set size (VmHWM) for the benchmark that ran in it. JMH runs each benchmark
     * in its own fork, so the value covers that benchmark (and the JVM's own footprint) only.
     */
    static void reportPeakRss(BenchmarkParams params) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    String name = params.getBenchmark();
                    name = name.substring(name.lastIndexOf('.') + 1);
                    System.out.println(PEAK_RSS_PREFIX + name + " " + kb);
                    return;
                }
            }
        } catch (IOException e) {
            System.out.println("# peak RSS unavailable: " + e);
        }
    }
}
