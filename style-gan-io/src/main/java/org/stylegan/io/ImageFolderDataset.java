package org.stylegan.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Endless batches of augmented images from a folder tree, as float tensors [B, 3, crop, crop] in [-1, 1].
 *
 * <p>Files are found recursively by extension (case-insensitive; hidden files, whose names start with a
 * dot, are ignored) and sorted by relative path, so the order does not depend on the file system. Each
 * epoch visits every file once in an order shuffled from (seed, epoch); each image is resized so its
 * shorter side is {@code resizeTo}, randomly cropped to {@code crop x crop} and flipped with probability
 * 1/2, all drawn from (seed, epoch, file index). Batches run on across epoch boundaries. The sequence of
 * batches is therefore a function of the seed only, with or without prefetch.
 *
 * <p>With {@code prefetch > 0} one daemon thread decodes ahead into a bounded queue; {@link #close()}
 * stops and joins it. Not thread-safe: call {@link #nextBatch()} from one thread.
 */
public final class ImageFolderDataset implements AutoCloseable {
    /** Prefix of the prefetch thread's name. */
    public static final String THREAD_NAME_PREFIX = "stylegan-dataset-prefetch-";
    /** Extensions used when none are given. */
    public static final List<String> DEFAULT_EXTENSIONS = List.of("png", "jpg", "jpeg", "bmp", "gif");

    private static final Logger LOG = LoggerFactory.getLogger(ImageFolderDataset.class);
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    /** What to do with a file that cannot be decoded. */
    public enum UnreadablePolicy {
        /** Stop: {@link #nextBatch()} throws, naming the file (the default). */
        FAIL,
        /** Skip the file in this and later epochs, log a warning, and report it in {@link #skipped()}. */
        SKIP
    }

    private final Path folder;
    private final List<Path> files;
    private final List<String> extensions;
    private final int crop;
    private final int resizeTo;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final boolean flip;
    private final UnreadablePolicy policy;
    private final ImageReadOptions readOptions;

    // Producer state: touched only by the producer (the prefetch thread, or the caller without prefetch).
    private int epoch;
    private int pos;
    private int[] order;
    private int readableInEpoch;
    private final Set<Integer> bad = new LinkedHashSet<>();

    private final List<Path> skipped = Collections.synchronizedList(new ArrayList<>());
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean closed;
    private RuntimeException failure;
    private int lastEpoch;

    private record Item(INDArray batch, int epoch) {
    }

    private record Failure(RuntimeException error) {
    }

    private ImageFolderDataset(Builder b) {
        this.folder = b.folder;
        this.extensions = List.copyOf(b.extensions);
        this.crop = b.crop;
        this.resizeTo = b.resizeTo > 0 ? b.resizeTo : b.crop;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.shuffle = b.shuffle;
        this.flip = b.flip;
        this.policy = b.policy;
        this.readOptions = b.readOptions;
        this.files = scan(folder, extensions);
        // Resume support: with every file readable, batch k starts at item k * batchSize of the epoch sequence.
        long items = b.startBatch * (long) batchSize;
        this.epoch = (int) (items / files.size());
        this.pos = (int) (items % files.size());
        this.readableInEpoch = pos; // the skipped items of this epoch count as read
        this.order = permutation(epoch);
        if (b.prefetch > 0) {
            queue = new ArrayBlockingQueue<>(b.prefetch);
            thread = new Thread(this::produceLoop, THREAD_NAME_PREFIX + THREAD_IDS.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
        } else {
            queue = null;
            thread = null;
        }
    }

    /** A builder; {@code folder} and {@code cropSize} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The image files, in their stable (sorted) order. */
    public List<Path> files() {
        return files;
    }

    /**
     * Files skipped as unreadable so far under {@link UnreadablePolicy#SKIP}, in the order they were met.
     * With prefetch this includes files met while decoding batches not yet taken.
     */
    public List<Path> skipped() {
        synchronized (skipped) {
            return List.copyOf(skipped);
        }
    }

    /** The epoch (0-based) of the last image of the last batch returned; 0 before the first batch. */
    public int epoch() {
        return lastEpoch;
    }

    /** The batch size. */
    public int batchSize() {
        return batchSize;
    }

    /**
     * The next batch [batchSize, 3, crop, crop] in [-1, 1]; never ends (epochs roll over).
     *
     * @throws UncheckedIOException  wrapping an {@link ImageReadException} naming the file, under
     *                               {@link UnreadablePolicy#FAIL}
     * @throws IllegalStateException after {@link #close()}, or when every file is unreadable
     */
    public INDArray nextBatch() {
        if (closed) {
            throw new IllegalStateException("dataset over " + folder + " is closed");
        }
        if (failure != null) {
            throw rethrow(failure);
        }
        Object item;
        if (queue == null) {
            try {
                item = produce();
            } catch (RuntimeException e) {
                item = new Failure(e);
            }
        } else {
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next batch", e);
            }
        }
        if (item instanceof Failure f) {
            failure = f.error();
            throw rethrow(failure);
        }
        Item it = (Item) item;
        lastEpoch = it.epoch();
        return it.batch();
    }

    private static RuntimeException rethrow(RuntimeException e) {
        // A new exception, so the caller's stack shows up as well as the producer's (in the cause).
        if (e instanceof UncheckedIOException u) {
            return new UncheckedIOException(u.getMessage(), u.getCause());
        }
        if (e instanceof IllegalStateException) {
            return new IllegalStateException(e.getMessage(), e);
        }
        return new IllegalStateException("reading images failed: " + e, e);
    }

    /** Stops and joins the prefetch thread. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("prefetch thread {} did not stop within 10 s", thread.getName());
            }
            queue.clear();
        }
    }

    private void produceLoop() {
        while (!closed) {
            Object item;
            try {
                item = produce();
            } catch (RuntimeException e) {
                item = new Failure(e);
            } catch (Error e) {
                item = new Failure(new IllegalStateException("prefetch thread failed: " + e, e));
            }
            try {
                queue.put(item);
            } catch (InterruptedException e) {
                return; // close()
            }
            if (item instanceof Failure) {
                return;
            }
        }
    }

    private Item produce() {
        List<BufferedImage> images = new ArrayList<>(batchSize);
        int itemEpoch = epoch;
        while (images.size() < batchSize) {
            if (closed) {
                throw new IllegalStateException("dataset over " + folder + " is closed");
            }
            if (pos == files.size()) {
                if (readableInEpoch == 0) {
                    throw new IllegalStateException("none of the " + files.size() + " files under " + folder
                            + " could be read (skipped: " + skipped() + ")");
                }
                epoch++;
                pos = 0;
                readableInEpoch = 0;
                order = permutation(epoch);
            }
            int idx = order[pos++];
            if (bad.contains(idx)) {
                continue;
            }
            Path file = files.get(idx);
            BufferedImage img;
            try {
                img = Images.read(file, readOptions);
            } catch (ImageReadException e) {
                if (policy == UnreadablePolicy.FAIL) {
                    throw new UncheckedIOException(e.getMessage()
                            + " (set unreadable(UnreadablePolicy.SKIP) to skip such files)", e);
                }
                bad.add(idx);
                skipped.add(file);
                LOG.warn("skipping unreadable image {}: {}", file, e.getMessage());
                continue;
            }
            readableInEpoch++;
            images.add(augment(img, new Random(mix(seed, epoch, idx))));
            itemEpoch = epoch;
        }
        return new Item(Images.batch(images), itemEpoch);
    }

    private BufferedImage augment(BufferedImage img, Random r) {
        BufferedImage out = ImageOps.resizeShorterSide(img, resizeTo);
        out = ImageOps.randomCrop(out, crop, crop, r);
        if (flip && r.nextBoolean()) {
            out = ImageOps.flipHorizontal(out);
        }
        return out;
    }

    private int[] permutation(int ep) {
        int[] p = new int[files.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        if (shuffle) {
            Random r = new Random(mix(seed, ep, -1));
            for (int i = p.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
        }
        return p;
    }

    private static long mix(long seed, long a, long b) {
        long z = seed * 0x9E3779B97F4A7C15L + a * 0xC2B2AE3D27D4EB4FL + b * 0x165667B19E3779F9L;
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }

    private static List<Path> scan(Path folder, List<String> extensions) {
        if (!Files.exists(folder)) {
            throw new IllegalArgumentException("image folder does not exist: " + folder.toAbsolutePath());
        }
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("image folder is not a folder: " + folder.toAbsolutePath());
        }
        List<Path> found;
        try (Stream<Path> walk = Files.walk(folder)) {
            found = walk.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        if (n.startsWith(".")) {
                            return false;
                        }
                        int dot = n.lastIndexOf('.');
                        return dot > 0 && extensions.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
                    })
                    .sorted((x, y) -> key(folder, x).compareTo(key(folder, y)))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot list image folder " + folder.toAbsolutePath() + ": " + e, e);
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no images with extensions " + extensions + " in "
                    + folder.toAbsolutePath() + " (searched recursively, hidden files ignored); "
                    + "add images or set extensions(...)");
        }
        return found;
    }

    private static String key(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    /** Builder for {@link ImageFolderDataset}; {@link #build()} scans the folder and starts prefetching. */
    public static final class Builder {
        private Path folder;
        private List<String> extensions = DEFAULT_EXTENSIONS;
        private int crop;
        private int resizeTo;
        private int batchSize = 4;
        private long seed;
        private boolean shuffle = true;
        private boolean flip = true;
        private int prefetch = 2;
        private UnreadablePolicy policy = UnreadablePolicy.FAIL;
        private ImageReadOptions readOptions = ImageReadOptions.defaults();
        private long startBatch;

        private Builder() {
        }

        /** The root folder, scanned recursively. Required. */
        public Builder folder(Path folder) {
            this.folder = folder;
            return this;
        }

        /** File extensions to include, case-insensitive, with or without the dot; default png, jpg, jpeg, bmp, gif. */
        public Builder extensions(String... extensions) {
            Objects.requireNonNull(extensions, "extensions");
            List<String> l = new ArrayList<>();
            for (String e : extensions) {
                Objects.requireNonNull(e, "extension");
                String n = e.trim().toLowerCase(Locale.ROOT);
                l.add(n.startsWith(".") ? n.substring(1) : n);
            }
            this.extensions = l;
            return this;
        }

        /** Side of the square crop, in pixels. Required. */
        public Builder cropSize(int crop) {
            this.crop = crop;
            return this;
        }

        /** Shorter side after resizing, before cropping; default: the crop size (0 means the default). */
        public Builder resizeTo(int shorterSide) {
            this.resizeTo = shorterSide;
            return this;
        }

        /** Images per batch; default 4. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Seed of the shuffle and augmentation; default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Shuffle every epoch; default true. */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Random horizontal flips; default true. */
        public Builder flip(boolean flip) {
            this.flip = flip;
            return this;
        }

        /** Batches decoded ahead on a background thread; 0 decodes on the caller's thread; default 2. */
        public Builder prefetch(int batches) {
            this.prefetch = batches;
            return this;
        }

        /** What to do with unreadable files; default {@link UnreadablePolicy#FAIL}. */
        public Builder unreadable(UnreadablePolicy policy) {
            this.policy = policy;
            return this;
        }

        /** Pixel limit and background for reading; default {@link ImageReadOptions#defaults()}. */
        public Builder readOptions(ImageReadOptions options) {
            this.readOptions = options;
            return this;
        }

        /**
         * Starts at batch number {@code batch} (0-based) of the sequence a fresh dataset with the same settings
         * would return, without decoding the skipped images; for resuming training. Default 0. Exact when every
         * file is readable (skipped unreadable files shift later batches).
         */
        public Builder startBatch(long batch) {
            this.startBatch = batch;
            return this;
        }

        private void validate() {
            if (startBatch < 0) {
                throw new IllegalArgumentException("startBatch must be >= 0, found " + startBatch);
            }
            if (folder == null) {
                throw new IllegalArgumentException("folder must be set");
            }
            if (crop < 1) {
                throw new IllegalArgumentException("cropSize must be >= 1, found " + crop);
            }
            if (resizeTo != 0 && resizeTo < crop) {
                throw new IllegalArgumentException("resizeTo must be >= cropSize (" + crop + ") or 0, found " + resizeTo);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, found " + batchSize);
            }
            if (prefetch < 0) {
                throw new IllegalArgumentException("prefetch must be >= 0, found " + prefetch);
            }
            if (extensions.isEmpty() || extensions.stream().anyMatch(String::isEmpty)) {
                throw new IllegalArgumentException("extensions must be non-empty names like \"png\", found " + extensions);
            }
            Objects.requireNonNull(policy, "unreadable policy");
            Objects.requireNonNull(readOptions, "readOptions");
        }

        /** Validates, scans the folder and (with prefetch) starts the background thread. */
        public ImageFolderDataset build() {
            validate();
            return new ImageFolderDataset(this);
        }
    }

    @Override
    public String toString() {
        return "ImageFolderDataset[" + folder + ", " + files.size() + " files, crop " + crop + ", batch " + batchSize
                + ", seed " + seed + ", extensions " + Arrays.toString(extensions.toArray()) + "]";
    }
}
