package org.stylegan.core;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.stream.Stream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.stylegan.core.train.History;
import org.stylegan.core.train.TrainerConfig;
import org.stylegan.core.train.TrainingArchive;
import org.stylegan.io.ImageFolderDataset;
import org.stylegan.io.ImageOps;
import org.stylegan.io.Images;
import org.stylegan.io.ModelArchive;
import org.stylegan.io.ModelFormatException;
import org.stylegan.core.net.Generator;
import org.stylegan.core.net.GeneratorConfig;

/**
 * A trained style: a generator plus its provenance (training config, seed, history, auto-balance scales, a
 * sample image). {@link #stylize} works at any resolution (reflection-padded to the generator's size multiple and
 * cropped back), optionally tiled for large images.
 *
 * <p>Thread-safe: every call borrows a private copy of the generator from an internal pool (copies share
 * nothing mutable), so several threads may stylize at once; each concurrent caller costs one generator copy.
 */
public final class StyleModel {
    /** Archive entry of the generator. */
    public static final String GENERATOR_ENTRY = TrainingArchive.GENERATOR;

    private final Generator template;
    private final TrainerConfig config;
    private final History history;
    private final Map<String, Double> scales;
    private final BufferedImage sample;
    private final ConcurrentLinkedDeque<Generator> idle = new ConcurrentLinkedDeque<>();

    /**
     * Options of {@link #stylize}.
     *
     * @param strength       1 = stylized output, 0 = the content unchanged, in between a linear blend; in [0, 1]
     * @param preserveColors keep the content's chroma (YCbCr Cb, Cr) and take only luminance from the style
     * @param maxSize        downscale inputs whose longer side exceeds this (output at that size); 0 = no limit
     * @param tileSize       process images larger than this in overlapping tiles of this side (multiple of 4,
     *                       >= 32); 0 = whole image at once. Tiles are taken at the generator's working resolution
     *                       (see {@code brushScale})
     * @param tileOverlap    overlap of neighbouring tiles, blended with linear feathering; less than tileSize / 2
     * @param brushScale     size of the style's strokes relative to the training scale, in [0.25, 4]: the generator
     *                       works on the image resized by 1 / brushScale and its output is resized back, so 2 paints
     *                       strokes twice as large (and runs ~4x faster), 0.5 half as large; 1 = as trained
     */
    public record Options(double strength, boolean preserveColors, int maxSize, int tileSize, int tileOverlap,
                          double brushScale) {
        /** Full strength, original colours of the style, no size limit, no tiling, strokes as trained. */
        public static final Options DEFAULT = new Options(1.0, false, 0, 0, 32, 1.0);
        /** Smallest brush scale: the generator sees 4x the pixels per side. */
        public static final double MIN_BRUSH_SCALE = 0.25;
        /** Largest brush scale: the generator sees a quarter of the pixels per side. */
        public static final double MAX_BRUSH_SCALE = 4;

        /** Validates every field. */
        public Options {
            if (!(strength >= 0 && strength <= 1)) {
                throw new IllegalArgumentException("strength must be in [0, 1], found " + strength);
            }
            if (maxSize < 0) {
                throw new IllegalArgumentException("maxSize must be >= 0 (0 = no limit), found " + maxSize);
            }
            if (tileSize != 0 && (tileSize < 32 || tileSize % 4 != 0)) {
                throw new IllegalArgumentException("tileSize must be 0 (off) or a multiple of 4 >= 32, found "
                        + tileSize);
            }
            if (tileOverlap < 0 || (tileSize > 0 && tileOverlap * 2 >= tileSize)) {
                throw new IllegalArgumentException("tileOverlap must be >= 0 and < tileSize / 2 (" + tileSize / 2
                        + "), found " + tileOverlap);
            }
            if (!(brushScale >= MIN_BRUSH_SCALE && brushScale <= MAX_BRUSH_SCALE)) {
                throw new IllegalArgumentException("brushScale must be in [" + MIN_BRUSH_SCALE + ", "
                        + MAX_BRUSH_SCALE + "] (1 = strokes as trained), found " + brushScale);
            }
        }

        /** Options with strokes as trained ({@code brushScale} 1). */
        public Options(double strength, boolean preserveColors, int maxSize, int tileSize, int tileOverlap) {
            this(strength, preserveColors, maxSize, tileSize, tileOverlap, 1.0);
        }

        /** Returns a copy with another strength. */
        public Options withStrength(double v) {
            return new Options(v, preserveColors, maxSize, tileSize, tileOverlap, brushScale);
        }

        /** Returns a copy with colour preservation on or off. */
        public Options withPreserveColors(boolean v) {
            return new Options(strength, v, maxSize, tileSize, tileOverlap, brushScale);
        }

        /** Returns a copy with another size limit. */
        public Options withMaxSize(int v) {
            return new Options(strength, preserveColors, v, tileSize, tileOverlap, brushScale);
        }

        /** Returns a copy with tiling (tile side and overlap). */
        public Options withTiles(int size, int overlap) {
            return new Options(strength, preserveColors, maxSize, size, overlap, brushScale);
        }

        /** Returns a copy with another brush scale. */
        public Options withBrushScale(double v) {
            return new Options(strength, preserveColors, maxSize, tileSize, tileOverlap, v);
        }
    }

    private StyleModel(Generator template, TrainerConfig config, History history, Map<String, Double> scales,
                       BufferedImage sample) {
        this.template = template;
        this.config = config;
        this.history = history == null ? History.empty() : history;
        this.scales = Collections.unmodifiableMap(new LinkedHashMap<>(scales == null ? Map.of() : scales));
        this.sample = sample;
    }

    /**
     * Wraps a trained generator (its parameters are copied: later training does not change this model).
     *
     * @param config  the training config (provenance; its generator config must match), not null
     * @param history training history, or null
     * @param scales  auto-balance scales, or null
     * @param sample  a sample output for the archive, or null
     */
    public static StyleModel of(Generator generator, TrainerConfig config, History history, Map<String, Double> scales,
                                BufferedImage sample) {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(config, "config");
        if (!generator.config().equals(config.generator())) {
            throw new IllegalArgumentException("generator config " + generator.config()
                    + " differs from the training config's " + config.generator());
        }
        return new StyleModel(Generator.restore(generator.config(), generator.graph()), config, history, scales,
                sample);
    }

    // ------------------------------------------------------------------------------------------ inference

    /** Stylizes an image with {@link Options#DEFAULT}. */
    public BufferedImage stylize(BufferedImage image) {
        return stylize(image, Options.DEFAULT);
    }

    /** Stylizes an image (any size; see {@link Options}). */
    public BufferedImage stylize(BufferedImage image, Options options) {
        Objects.requireNonNull(image, "image");
        return Images.toImage(stylize(Images.toTensor(Images.read(image)), options));
    }

    /** Reads and stylizes an image file with {@link Options#DEFAULT}. */
    public BufferedImage stylize(Path imageFile) throws IOException {
        return stylize(imageFile, Options.DEFAULT);
    }

    /** Reads and stylizes an image file. */
    public BufferedImage stylize(Path imageFile, Options options) throws IOException {
        Objects.requireNonNull(imageFile, "imageFile");
        BufferedImage image = Images.read(imageFile);
        try {
            return stylize(image, options);
        } catch (IllegalArgumentException e) {
            // e.g. "too small": name the file, so a folder run or the CLI says which input is at fault.
            throw new IllegalArgumentException(imageFile + ": " + e.getMessage(), e);
        }
    }

    /** Stylizes a batch [B, 3, H, W] in [-1, 1] with {@link Options#DEFAULT}. */
    public INDArray stylize(INDArray images) {
        return stylize(images, Options.DEFAULT);
    }

    /**
     * Stylizes a batch [B, 3, H, W] (or one image [3, H, W]) in [-1, 1], any H and W; returns the same layout
     * in [-1, 1] (smaller when {@link Options#maxSize()} applies). The input is not modified.
     */
    public INDArray stylize(INDArray images, Options options) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(options, "options");
        boolean single = images.rank() == 3;
        INDArray x = single ? images.reshape(1, images.size(0), images.size(1), images.size(2)) : images;
        if (x.rank() != 4 || x.size(1) != 3) {
            throw new IllegalArgumentException("images must be [B, 3, H, W] or [3, H, W] in [-1, 1], found "
                    + java.util.Arrays.toString(images.shape()));
        }
        x = x.castTo(DataType.FLOAT);
        if (options.maxSize() > 0 && Math.max(x.size(2), x.size(3)) > options.maxSize()) {
            double k = (double) options.maxSize() / Math.max(x.size(2), x.size(3));
            x = ImageOps.resize(x, (int) Math.max(1, Math.round(x.size(3) * k)),
                    (int) Math.max(1, Math.round(x.size(2) * k)));
        }
        INDArray work = x;
        if (options.brushScale() != 1) {
            int w = (int) Math.max(1, Math.round(x.size(3) / options.brushScale()));
            int h = (int) Math.max(1, Math.round(x.size(2) / options.brushScale()));
            int min = template.config().minimumSize();
            if (w < min || h < min) {
                throw new IllegalArgumentException("image " + x.size(3) + "x" + x.size(2) + " at brushScale "
                        + options.brushScale() + " is " + w + "x" + h + " for the generator, which needs width and"
                        + " height >= " + min + "; use a smaller brushScale or a larger image");
            }
            work = ImageOps.resize(x, w, h);
        }
        Generator g = borrow();
        INDArray out;
        try {
            boolean tiled = options.tileSize() > 0
                    && (work.size(2) > options.tileSize() || work.size(3) > options.tileSize());
            out = tiled ? tiled(g, work, options.tileSize(), options.tileOverlap()) : whole(g, work);
        } finally {
            idle.push(g);
        }
        if (work != x) {
            INDArray small = out;
            out = ImageOps.resize(small, (int) x.size(3), (int) x.size(2));
            if (!small.isView()) {
                small.close();
            }
            work.close();
        }
        if (options.preserveColors()) {
            // Changing only luminance Y adds the same delta to R, G and B (YCbCr is linear).
            INDArray dy = luma(out).subi(luma(x));
            out = x.add(dy.broadcast(x.shape()));
        }
        if (options.strength() < 1) {
            out = out.muli(options.strength()).addi(x.mul(1 - options.strength()));
        }
        return single ? out.reshape(out.size(1), out.size(2), out.size(3)) : out;
    }

    private Generator borrow() {
        Generator g = idle.poll();
        return g != null ? g : Generator.restore(template.config(), template.graph());
    }

    private INDArray whole(Generator g, INDArray x) {
        int m = template.config().sizeMultiple();
        int min = template.config().minimumSize();
        if (x.size(2) < min || x.size(3) < min) {
            throw new IllegalArgumentException("image " + x.size(3) + "x" + x.size(2) + " is too small: this model "
                    + "needs width and height >= " + min);
        }
        ImageOps.Padded p = ImageOps.padToMultiple(x, m);
        return p.cropBack(g.output(p.tensor()));
    }

    private INDArray tiled(Generator g, INDArray x, int tile, int overlap) {
        long b = x.size(0);
        int h = (int) x.size(2);
        int w = (int) x.size(3);
        INDArray acc = Nd4j.zeros(DataType.FLOAT, b, 3, h, w);
        INDArray wsum = Nd4j.zeros(DataType.FLOAT, 1, 1, h, w);
        int[] ys = starts(h, tile, overlap);
        int[] xs = starts(w, tile, overlap);
        INDArrayIndex all = NDArrayIndex.all();
        for (int y0 : ys) {
            for (int x0 : xs) {
                int th = Math.min(tile, h);
                int tw = Math.min(tile, w);
                INDArrayIndex ri = NDArrayIndex.interval(y0, y0 + th);
                INDArrayIndex ci = NDArrayIndex.interval(x0, x0 + tw);
                INDArray in = x.get(all, all, ri, ci).dup();
                INDArray out = whole(g, in);
                INDArray mask = feather(th, tw, overlap, y0 > 0, y0 + th < h, x0 > 0, x0 + tw < w);
                INDArray weights = mask.broadcast(out.shape());
                acc.get(all, all, ri, ci).addi(out.muli(weights));
                wsum.get(all, all, ri, ci).addi(mask);
                // Per-tile buffers are dead now: free them rather than leave them to the GC (views are skipped).
                for (INDArray a : new INDArray[] {in, out, mask, weights}) {
                    a.close();
                }
            }
        }
        return acc.divi(wsum.broadcast(acc.shape()));
    }

    private static int[] starts(int size, int tile, int overlap) {
        if (size <= tile) {
            return new int[] {0};
        }
        List<Integer> s = new ArrayList<>();
        int stride = tile - overlap;
        for (int p = 0; ; p += stride) {
            if (p + tile >= size) {
                s.add(size - tile);
                break;
            }
            s.add(p);
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A [1, 1, h, w] weight: 1 inside, linear ramps over {@code overlap} pixels on sides with a neighbour. */
    private static INDArray feather(int h, int w, int overlap, boolean top, boolean bottom, boolean left,
                                    boolean right) {
        float[] m = new float[h * w];
        for (int i = 0; i < h; i++) {
            float wy = Math.min(ramp(i, overlap, top), ramp(h - 1 - i, overlap, bottom));
            for (int j = 0; j < w; j++) {
                float wx = Math.min(ramp(j, overlap, left), ramp(w - 1 - j, overlap, right));
                m[i * w + j] = wy * wx;
            }
        }
        return Nd4j.create(m, new long[] {1, 1, h, w}, 'c');
    }

    private static float ramp(int d, int overlap, boolean active) {
        if (!active || overlap == 0) {
            return 1f;
        }
        return Math.min(1f, (d + 1f) / (overlap + 1f));
    }

    private static INDArray luma(INDArray x) {
        INDArrayIndex all = NDArrayIndex.all();
        INDArray r = x.get(all, NDArrayIndex.interval(0, 1), all, all);
        INDArray gch = x.get(all, NDArrayIndex.interval(1, 2), all, all);
        INDArray bch = x.get(all, NDArrayIndex.interval(2, 3), all, all);
        return r.mul(0.299).addi(gch.mul(0.587)).addi(bch.mul(0.114));
    }

    /**
     * Stylizes every image under {@code inDir} (recursively, by the usual extensions) into PNGs under
     * {@code outDir} with the same relative paths; returns the files written.
     */
    public List<Path> stylizeAll(Path inDir, Path outDir) throws IOException {
        return stylizeAll(inDir, outDir, Options.DEFAULT);
    }

    /** As {@link #stylizeAll(Path, Path)}, with options. */
    public List<Path> stylizeAll(Path inDir, Path outDir, Options options) throws IOException {
        Objects.requireNonNull(inDir, "inDir");
        Objects.requireNonNull(outDir, "outDir");
        if (!Files.isDirectory(inDir)) {
            throw new IllegalArgumentException("input folder does not exist or is not a folder: "
                    + inDir.toAbsolutePath());
        }
        List<Path> inputs;
        try (Stream<Path> walk = Files.walk(inDir)) {
            inputs = walk.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                int dot = n.lastIndexOf('.');
                return !n.startsWith(".") && dot > 0
                        && ImageFolderDataset.DEFAULT_EXTENSIONS.contains(n.substring(dot + 1));
            }).sorted().toList();
        }
        List<Path> written = new ArrayList<>();
        for (Path in : inputs) {
            String rel = inDir.relativize(in).toString();
            Path out = outDir.resolve(rel.substring(0, rel.lastIndexOf('.')) + ".png");
            Files.createDirectories(out.getParent());
            Images.writePng(stylize(in, options), out);
            written.add(out);
        }
        return written;
    }

    // ------------------------------------------------------------------------------------------ persistence

    /** Saves the model atomically as a {@link ModelArchive} of kind MODEL (see {@link TrainingArchive}). */
    public void save(Path file) throws IOException {
        TrainingArchive.saveModel(file, new TrainingArchive.Model(config, template, history, scales, sample));
    }

    /**
     * Loads a model saved by {@link #save}; a training checkpoint also loads (its generator, config, history and
     * scales).
     *
     * @throws ModelFormatException when the file is not a style-gan model or checkpoint, or is damaged
     */
    public static StyleModel load(Path file) throws IOException {
        TrainingArchive.Model m = TrainingArchive.loadModel(file);
        return new StyleModel(m.generator(), m.config(), m.history(), m.scales(), m.sample());
    }

    // ------------------------------------------------------------------------------------------ accessors

    /** Returns the training config (provenance). */
    public TrainerConfig config() {
        return config;
    }

    /** Returns the generator architecture. */
    public GeneratorConfig generatorConfig() {
        return template.config();
    }

    /** Returns the training history (empty when unknown). */
    public History history() {
        return history;
    }

    /** Returns the auto-balance scales used in training (term -> 1/v0). */
    public Map<String, Double> balanceScales() {
        return scales;
    }

    /** Returns the sample image saved with the model, or null. */
    public BufferedImage sample() {
        return sample;
    }

    /** Returns the generator's parameter count. */
    public long numParams() {
        return template.numParams();
    }

    @Override
    public String toString() {
        return "StyleModel[" + template.config() + ", " + history + "]";
    }
}
