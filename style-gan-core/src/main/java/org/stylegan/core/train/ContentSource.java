package org.stylegan.core.train;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

import org.stylegan.io.ImageFolderDataset;
import org.stylegan.io.ImageOps;
import org.stylegan.io.Images;

/**
 * Endless content batches [B, 3, S, S] in [-1, 1] for the trainer, with a position so a checkpoint can resume
 * exactly: batch k must be a pure function of k (and the source's seed). Not thread-safe.
 */
public interface ContentSource extends AutoCloseable {

    /** Returns the next batch. */
    INDArray nextBatch();

    /** Returns how many batches were taken so far. */
    long position();

    /** Moves to a position: the next {@link #nextBatch()} returns batch number {@code position}. */
    void seek(long position);

    /** Releases threads and files; the default does nothing. */
    @Override
    default void close() {
    }

    /**
     * Batches from an image folder (recursive, shuffled per epoch, random crops and flips), through
     * {@link ImageFolderDataset} with prefetch.
     *
     * @throws IllegalArgumentException when the folder is missing or holds no images
     */
    static ContentSource folder(Path folder, int imageSize, int batchSize, long seed) {
        return folder(folder, imageSize, imageSize, batchSize, seed);
    }

    /**
     * Batches from an image folder as {@link #folder(Path, int, int, long)}, each image first resized so its
     * shorter side is {@code photoSize} (>= imageSize), then cropped to {@code imageSize}.
     */
    static ContentSource folder(Path folder, int imageSize, int photoSize, int batchSize, long seed) {
        return new FolderSource(folder, imageSize, photoSize, batchSize, seed);
    }

    /**
     * Batches of random crops from images in memory: batch k, image i is a crop of a random image, both drawn
     * from (seed, k, i). Images are resized so the shorter side is {@code imageSize}.
     */
    static ContentSource images(List<BufferedImage> images, int imageSize, int batchSize, long seed) {
        return images(images, imageSize, imageSize, batchSize, seed);
    }

    /**
     * Batches of random crops as {@link #images(List, int, int, long)}, from images resized so the shorter side is
     * {@code photoSize} (>= imageSize).
     */
    static ContentSource images(List<BufferedImage> images, int imageSize, int photoSize, int batchSize, long seed) {
        return new MemorySource(images, imageSize, photoSize, batchSize, seed);
    }

    /**
     * The same batches over and over: batch k is {@code batches.get(k % batches.size())}, the array itself (the
     * trainer reads content batches and never closes them). For synthetic workloads such as the GAN benchmark's
     * fixed random tensors.
     *
     * @param batches one or more [B, 3, S, S] tensors in [-1, 1]
     */
    static ContentSource fixed(List<INDArray> batches) {
        return new FixedSource(batches);
    }

    /** A source whose position is a plain batch counter, so {@link #seek} only sets it. */
    abstract class Positioned implements ContentSource {
        /** Index of the next batch. */
        protected long position;

        @Override
        public long position() {
            return position;
        }

        @Override
        public void seek(long newPosition) {
            position = checked(newPosition);
        }

        /** Returns {@code newPosition}, or refuses a negative one naming it. */
        static long checked(long newPosition) {
            if (newPosition < 0) {
                throw new IllegalArgumentException("position must be >= 0, found " + newPosition);
            }
            return newPosition;
        }
    }

    /** Source over fixed tensors. */
    final class FixedSource extends Positioned {
        private final List<INDArray> batches;

        private FixedSource(List<INDArray> batches) {
            if (batches == null || batches.isEmpty()) {
                throw new IllegalArgumentException("batches must hold at least one [B, 3, S, S] tensor, found none");
            }
            for (INDArray b : batches) {
                if (b == null || b.rank() != 4 || b.size(1) != 3) {
                    throw new IllegalArgumentException("each batch must be [B, 3, S, S], found "
                            + (b == null ? "null" : java.util.Arrays.toString(b.shape())));
                }
            }
            this.batches = List.copyOf(batches);
        }

        @Override
        public INDArray nextBatch() {
            return batches.get((int) (position++ % batches.size()));
        }
    }

    /** Folder-backed source; reopening the dataset at a start batch implements {@link #seek}. */
    final class FolderSource extends Positioned {
        private final Path folder;
        private final int imageSize;
        private final int photoSize;
        private final int batchSize;
        private final long seed;
        private ImageFolderDataset dataset;

        private FolderSource(Path folder, int imageSize, int photoSize, int batchSize, long seed) {
            this.folder = Objects.requireNonNull(folder, "content folder");
            this.imageSize = imageSize;
            this.photoSize = photoSize;
            this.batchSize = batchSize;
            this.seed = seed;
            this.dataset = open(0);
        }

        private ImageFolderDataset open(long start) {
            return ImageFolderDataset.builder().folder(folder).cropSize(imageSize).resizeTo(photoSize).batchSize(batchSize)
                    .seed(seed).startBatch(start).build();
        }

        /** Returns the number of image files found. */
        public int fileCount() {
            return dataset.files().size();
        }

        @Override
        public INDArray nextBatch() {
            INDArray b = dataset.nextBatch();
            position++;
            return b;
        }

        /** Reopens the dataset at the new position (it streams batches in order), unless it is already there. */
        @Override
        public void seek(long newPosition) {
            if (Positioned.checked(newPosition) != position) {
                dataset.close();
                dataset = open(newPosition);
                position = newPosition;
            }
        }

        @Override
        public void close() {
            dataset.close();
        }
    }

    /** In-memory source. */
    final class MemorySource extends Positioned {
        private final List<BufferedImage> images;
        private final int imageSize;
        private final int batchSize;
        private final long seed;

        private MemorySource(List<BufferedImage> images, int imageSize, int photoSize, int batchSize, long seed) {
            Objects.requireNonNull(images, "content images");
            if (images.isEmpty()) {
                throw new IllegalArgumentException("content images must not be empty; give at least one image");
            }
            if (imageSize < 1 || batchSize < 1) {
                throw new IllegalArgumentException("imageSize and batchSize must be >= 1, found " + imageSize
                        + " and " + batchSize);
            }
            if (photoSize < imageSize) {
                throw new IllegalArgumentException("photoSize must be >= imageSize (" + imageSize + "), found "
                        + photoSize);
            }
            List<BufferedImage> resized = new ArrayList<>();
            for (BufferedImage im : images) {
                resized.add(ImageOps.resizeShorterSide(Images.read(Objects.requireNonNull(im, "content image")),
                        photoSize));
            }
            this.images = List.copyOf(resized);
            this.imageSize = imageSize;
            this.batchSize = batchSize;
            this.seed = seed;
        }

        @Override
        public INDArray nextBatch() {
            List<BufferedImage> batch = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                Random r = new Random(Seeds.mix(seed, position, i));
                BufferedImage im = images.get(r.nextInt(images.size()));
                BufferedImage crop = ImageOps.randomCrop(im, imageSize, imageSize, r);
                batch.add(r.nextBoolean() ? ImageOps.flipHorizontal(crop) : crop);
            }
            position++;
            return Images.batch(batch);
        }
    }

}
