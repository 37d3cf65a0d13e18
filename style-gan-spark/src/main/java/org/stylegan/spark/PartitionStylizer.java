package org.stylegan.spark;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stylegan.core.StyleModel;
import org.stylegan.io.Images;

/**
 * Stylizes the images of one partition, a few at a time: decodes a chunk of at most {@code batchSize} inputs, runs
 * same-size images through the generator as one batch, encodes each result. Memory is bounded by one chunk, never
 * the partition. The model comes from {@link ModelCache} (once per JVM); each concurrent caller (task thread) gets
 * its own generator from the model's pool.
 *
 * <p>An input that cannot be read, decoded or stylized (corrupt, truncated, too small, an unsupported encoding)
 * gives a failed {@link Result} with the reason; it never throws. Not thread-safe: one instance per task.
 */
public final class PartitionStylizer {
    /** Image bytes to stylize, read only when the chunk holding them is processed. */
    @FunctionalInterface
    public interface ByteSource {
        /** Returns the encoded image (PNG, JPEG, BMP, GIF). */
        byte[] read() throws IOException;
    }

    /** One input: a key the caller uses to match results (a path, a row) and its bytes. */
    public record Input<K>(K key, ByteSource bytes) {
    }

    /**
     * The outcome for one input.
     *
     * @param encoded the stylized image in the settings' format, or null when it failed
     * @param width   output width, 0 when it failed
     * @param height  output height, 0 when it failed
     * @param millis  time spent on this input (read, decode, its share of the batch, encode)
     * @param error   why it failed, or null
     */
    public record Result<K>(K key, byte[] encoded, int width, int height, long millis, String error) {
        /** Returns whether the image was stylized. */
        public boolean ok() {
            return error == null;
        }
    }

    private final StyleModel model;
    private final StyleModel.Options options;
    private final OutputFormat format;

    /** Stylizes with the model and options of {@code settings}; loads the model if this JVM has not yet. */
    public PartitionStylizer(StylizeSettings settings) {
        this.model = ModelCache.get(settings.model());
        this.options = settings.options();
        this.format = settings.format();
    }

    /**
     * Stylizes a chunk of inputs; returns one result per input, in input order. Images of the same size go through
     * {@link StyleModel#stylize(INDArray, StyleModel.Options)} together, others one by one through
     * {@link StyleModel#stylize(BufferedImage, StyleModel.Options)}. A batch may differ from one-by-one by one level
     * in a few pixels (oneDNN's kernels for another batch size round differently); chunks of one are exact.
     */
    public <K> List<Result<K>> process(List<Input<K>> chunk) {
        int n = chunk.size();
        BufferedImage[] images = new BufferedImage[n];
        String[] errors = new String[n];
        long[] nanos = new long[n];
        Map<Long, List<Integer>> bySize = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            try {
                byte[] bytes = chunk.get(i).bytes().read();
                if (bytes == null) {
                    throw new IOException("no image bytes (null)");
                }
                images[i] = Images.read(new ByteArrayInputStream(bytes));
                bySize.computeIfAbsent(((long) images[i].getWidth() << 32) | images[i].getHeight(),
                        k -> new ArrayList<>()).add(i);
            } catch (IOException | RuntimeException e) {
                errors[i] = describe(e);
            }
            nanos[i] += System.nanoTime() - t0;
        }
        BufferedImage[] outputs = new BufferedImage[n];
        for (List<Integer> group : bySize.values()) {
            if (group.size() > 1 && stylizeBatch(group, images, outputs, nanos)) {
                continue;
            }
            for (int i : group) { // single images, or a batch that failed: one by one, so each gets its own error
                long t0 = System.nanoTime();
                try {
                    outputs[i] = model.stylize(images[i], options);
                } catch (RuntimeException e) {
                    errors[i] = describe(e);
                }
                nanos[i] += System.nanoTime() - t0;
            }
        }
        List<Result<K>> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            images[i] = null;
            byte[] encoded = null;
            if (outputs[i] != null) {
                long t0 = System.nanoTime();
                try {
                    encoded = format.encode(outputs[i]);
                } catch (RuntimeException e) {
                    errors[i] = describe(e);
                }
                nanos[i] += System.nanoTime() - t0;
            }
            K key = chunk.get(i).key();
            BufferedImage out = encoded == null ? null : outputs[i];
            results.add(new Result<>(key, encoded, out == null ? 0 : out.getWidth(), out == null ? 0 : out.getHeight(),
                    nanos[i] / 1_000_000, encoded == null ? errors[i] : null));
            outputs[i] = null;
        }
        return results;
    }

    /** Stylizes a same-size group as one batch; false (nothing set) when the batch fails, e.g. images too small. */
    private boolean stylizeBatch(List<Integer> group, BufferedImage[] images, BufferedImage[] outputs, long[] nanos) {
        long t0 = System.nanoTime();
        List<BufferedImage> batch = new ArrayList<>(group.size());
        for (int i : group) {
            batch.add(images[i]);
        }
        List<BufferedImage> out;
        INDArray x = Images.batch(batch);
        try {
            INDArray y = model.stylize(x, options);
            out = Images.toImages(y);
            y.close();
        } catch (RuntimeException e) {
            return false;
        } finally {
            x.close();
        }
        long share = (System.nanoTime() - t0) / group.size();
        for (int j = 0; j < group.size(); j++) {
            outputs[group.get(j)] = out.get(j);
            nanos[group.get(j)] += share;
        }
        return true;
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getName() : m;
    }

    /**
     * A lazy iterator that pulls at most {@code size} elements from {@code in}, maps them as one chunk, yields the
     * results, and only then pulls the next chunk: a partition streams through with one chunk in memory.
     */
    public static <T, R> Iterator<R> chunked(Iterator<T> in, int size, Function<List<T>, List<R>> f) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be >= 1, found " + size);
        }
        return new Iterator<>() {
            private Iterator<R> current = List.<R>of().iterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && in.hasNext()) {
                    List<T> chunk = new ArrayList<>(size);
                    while (chunk.size() < size && in.hasNext()) {
                        chunk.add(in.next());
                    }
                    current = f.apply(chunk).iterator();
                }
                return current.hasNext();
            }

            @Override
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }
}
