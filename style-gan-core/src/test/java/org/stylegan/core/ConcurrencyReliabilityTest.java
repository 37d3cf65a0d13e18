package org.stylegan.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stylegan.core.train.TrainFixtures;
import org.stylegan.core.train.TrainerConfig;
import org.stylegan.io.testing.BadImageCorpus;
import org.stylegan.core.net.Generator;

/**
 * Eight threads stylize different images through one shared {@link StyleModel} (documented thread-safe: each
 * call borrows a private generator copy) and must get exactly the pixels a single thread gets.
 */
class ConcurrencyReliabilityTest {
    static final int THREADS = 8;

    @Test
    void eightThreadsHundredCallsMatchSingleThreadPixels() {
        run(100);
    }

    @Test
    @Tag("long")
    void eightThreadsThousandCallsMatchSingleThreadPixels() {
        run(1000);
    }

    private static void run(int calls) {
        TrainerConfig cfg = TrainFixtures.tiny().build();
        StyleModel model = StyleModel.of(Generator.create(cfg.generator()), cfg, null, null, null);
        // 16 different images, several sizes (odd ones are padded and cropped back), one tiled.
        List<BufferedImage> inputs = new ArrayList<>();
        List<StyleModel.Options> options = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            inputs.add(BadImageCorpus.photo(24 + 3 * i, 20 + 2 * i));
            options.add(i == 15 ? StyleModel.Options.DEFAULT.withTiles(32, 8)
                    : i % 4 == 1 ? StyleModel.Options.DEFAULT.withStrength(0.5) : StyleModel.Options.DEFAULT);
        }
        List<int[]> expected = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            expected.add(pixels(model.stylize(inputs.get(i), options.get(i))));
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger mismatches = new AtomicInteger();
        List<String> firstMismatches = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(60 + calls / 2), () -> {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    futures.add(pool.submit(() -> {
                        start.await();
                        int done = 0;
                        for (int c; (c = next.getAndIncrement()) < calls; done++) {
                            int i = (c * 7 + c / 16) % inputs.size(); // neighbours in time get different images
                            int[] got = pixels(model.stylize(inputs.get(i), options.get(i)));
                            if (!java.util.Arrays.equals(got, expected.get(i))) {
                                mismatches.incrementAndGet();
                                if (firstMismatches.size() < 3) {
                                    firstMismatches.add("call " + c + " image " + i);
                                }
                            }
                        }
                        return done;
                    }));
                }
                start.countDown();
                int total = 0;
                for (Future<Integer> f : futures) {
                    total += f.get(); // rethrows any exception of a worker
                }
                assertThat(total).isEqualTo(calls);
            });
        } finally {
            pool.shutdownNow();
        }
        assertThat(mismatches.get()).as("calls whose pixels differ from one thread's: %s", firstMismatches).isZero();
        System.out.printf("concurrency: %d calls on %d threads, %d mismatches%n", calls, THREADS, mismatches.get());
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
