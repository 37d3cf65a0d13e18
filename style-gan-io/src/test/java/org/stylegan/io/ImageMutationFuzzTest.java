package org.stylegan.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stylegan.io.testing.BadImageCorpus;

/**
 * A deterministic mutation fuzzer for {@link Images#read(java.io.InputStream, ImageReadOptions)}: seeded byte
 * flips, interesting values, truncations, splices and chunk duplications of valid PNG, JPEG, GIF and BMP files.
 * The invariant is the documented contract: a valid {@code TYPE_INT_RGB} image within the pixel limit, or an
 * {@link ImageReadException} with a message; never another exception, an error or a hang. It complements the
 * coverage-guided {@link ImagesFuzzTest} (Jazzer), which sees no coverage inside the JDK's decoders.
 */
class ImageMutationFuzzTest {
    /** A lower pixel limit than the default keeps mutated "huge" headers cheap; the check is the same code path. */
    static final ImageReadOptions OPTIONS = ImageReadOptions.builder().maxPixels(4_000_000).build();

    @Test
    void mutatedImagesReadOrFailCleanly() {
        assertThat(run(600, 1)).isEqualTo(600 * BadImageCorpus.seeds().size());
    }

    @Test
    @Tag("long")
    void mutatedImagesReadOrFailCleanlyLong() {
        assertThat(run(25_000, 2)).isEqualTo(25_000 * BadImageCorpus.seeds().size());
    }

    /** Runs {@code perSeed} mutants of every seed; returns the number of cases checked. */
    private static int run(int perSeed, long seed) {
        List<byte[]> seeds = BadImageCorpus.seeds();
        int[] counts = new int[2]; // converted, refused
        List<String> failures = new ArrayList<>();
        assertTimeoutPreemptively(Duration.ofSeconds(perSeed / 5 + 60), () -> {
            Random r = new Random(seed);
            for (int s = 0; s < seeds.size(); s++) {
                for (int i = 0; i < perSeed; i++) {
                    byte[] input = mutate(seeds.get(s), seeds.get(r.nextInt(seeds.size())), r);
                    String failure = check(input);
                    if (failure == null) {
                        continue;
                    }
                    if (failure.isEmpty()) {
                        counts[0]++;
                    } else if (failure.equals("refused")) {
                        counts[1]++;
                    } else if (failures.size() < 5) {
                        failures.add("seed " + s + " mutant " + i + " (" + input.length + " bytes, head "
                                + hex(input) + "): " + failure);
                    } else {
                        failures.add("...");
                    }
                }
            }
        });
        System.out.printf("mutation fuzz: %d cases, %d converted, %d refused, %d violations%n",
                perSeed * seeds.size(), counts[0], counts[1], failures.size());
        assertThat(failures).as("contract violations").isEmpty();
        // Both outcomes must occur, or the mutator is too weak (or too strong) to test anything.
        assertThat(counts[0]).as("converted").isPositive();
        assertThat(counts[1]).as("refused").isPositive();
        return counts[0] + counts[1];
    }

    /** "" when converted, "refused" for a clean refusal, else a description of the contract violation. */
    static String check(byte[] input) {
        try {
            BufferedImage img = Images.read(new ByteArrayInputStream(input), OPTIONS);
            if (img == null || img.getType() != BufferedImage.TYPE_INT_RGB || img.getWidth() < 1
                    || img.getHeight() < 1 || (long) img.getWidth() * img.getHeight() > OPTIONS.maxPixels()) {
                return "returned an invalid image " + img;
            }
            return "";
        } catch (ImageReadException e) {
            return e.getMessage() == null || e.getMessage().isBlank() ? "refused without a message" : "refused";
        } catch (Throwable t) { // the point of the test: anything else is a bug
            return "leaked " + t;
        }
    }

    static byte[] mutate(byte[] seed, byte[] other, Random r) {
        byte[] b = seed.clone();
        int ops = 1 + r.nextInt(4);
        for (int k = 0; k < ops; k++) {
            // Headers hold the sizes, counts and table lengths decoders trust: mutate them more often.
            int at = r.nextInt(3) == 0 ? r.nextInt(Math.min(b.length, 64)) : r.nextInt(b.length);
            switch (r.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = (byte) new int[] {0, 0xFF, 0x7F, 0x80, 0x01, 0xFE}[r.nextInt(6)];
                case 2 -> b[at] = (byte) r.nextInt(256);
                case 3 -> b = Arrays.copyOf(b, Math.max(1, r.nextInt(b.length)));
                case 4 -> { // splice: our head, another file's tail
                    int from = r.nextInt(other.length);
                    byte[] s = Arrays.copyOf(b, at + other.length - from);
                    System.arraycopy(other, from, s, at, other.length - from);
                    b = s;
                }
                case 5 -> { // duplicate a run
                    int len = 1 + r.nextInt(Math.min(64, b.length - at));
                    byte[] s = new byte[b.length + len];
                    System.arraycopy(b, 0, s, 0, at + len);
                    System.arraycopy(b, at, s, at + len, b.length - at);
                    b = s;
                }
                default -> { // a 16-bit big or little endian extreme (sizes, lengths)
                    if (at + 1 < b.length) {
                        int v = new int[] {0, 0xFFFF, 0x8000, 0x7FFF, 0x0100}[r.nextInt(5)];
                        b[at] = (byte) (v >> 8);
                        b[at + 1] = (byte) v;
                    }
                }
            }
            if (b.length == 0) {
                b = new byte[] {0};
            }
        }
        return b;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(16, b.length); i++) {
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }
}
