package org.stylegan.core.train;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.stylegan.io.ImageOps;
import org.stylegan.io.Images;

/** Built-in {@link TrainingListener}s: console progress, CSV and JSON-lines loss logs, sample grids. */
public final class Listeners {
    private Listeners() {
    }

    /**
     * Progress with ETA on {@code System.out}: one updating line ({@code \r}) on a terminal; otherwise (logs,
     * CI) one plain line every {@code everyNonTty} steps.
     */
    public static TrainingListener console(int everyNonTty) {
        return new Console(System.out, System.console() != null, everyNonTty);
    }

    /** Progress on a stream; {@code tty} selects the updating line, else one line every {@code every} steps. */
    public static TrainingListener console(PrintStream out, boolean tty, int every) {
        return new Console(out, tty, every);
    }

    /** Appends one CSV row per step (header first) to {@code file}; flushed every step. */
    public static TrainingListener csv(Path file) {
        return new Csv(file);
    }

    /** Appends one JSON object per line per step to {@code file}; flushed every step. */
    public static TrainingListener jsonLines(Path file) {
        return new JsonLines(file);
    }

    /**
     * Writes {@code dir/sample-STEP.png} every {@code every} steps and at the end: rows of content | generated |
     * style for the run's first content batch.
     */
    public static TrainingListener sampleGrid(Path dir, int every) {
        return new SampleGrid(dir, every);
    }

    /** Formats a step as one short line: step, total, each weighted term, D(real)/D(fake), speed. */
    public static String format(StepEvent e) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "step %d/%d total %.4f", e.step() + 1,
                e.totalSteps(), e.total()));
        for (Map.Entry<String, Double> t : e.weighted().entrySet()) {
            sb.append(String.format(Locale.ROOT, " %s %.4f", t.getKey(), t.getValue()));
        }
        if (!Double.isNaN(e.dReal())) {
            sb.append(String.format(Locale.ROOT, " D(real) %.2f D(fake) %.2f", e.dReal(), e.dFake()));
        }
        sb.append(String.format(Locale.ROOT, " %.2f img/s", e.imagesPerSecond()));
        return sb.toString();
    }

    private static final class Console implements TrainingListener {
        private final PrintStream out;
        private final boolean tty;
        private final int every;
        private long started;
        private int first;

        Console(PrintStream out, boolean tty, int every) {
            this.out = Objects.requireNonNull(out, "out");
            if (every < 1) {
                throw new IllegalArgumentException("every must be >= 1, found " + every);
            }
            this.tty = tty;
            this.every = every;
        }

        @Override
        public void onStart(TrainingContext context) {
            started = System.nanoTime();
            first = context.startStep();
        }

        @Override
        public void onStep(StepEvent e) {
            int done = e.step() + 1 - first;
            double elapsed = (System.nanoTime() - started) / 1e9;
            double eta = elapsed / done * (e.totalSteps() - e.step() - 1);
            String line = format(e) + String.format(Locale.ROOT, " ETA %s", duration(eta));
            if (tty) {
                out.print("\r" + line + "   ");
                out.flush();
            } else if ((e.step() + 1) % every == 0 || e.step() + 1 == e.totalSteps()) {
                out.println(line);
            }
        }

        @Override
        public void onEnd(History history) {
            if (tty) {
                out.println();
            }
        }

        private static String duration(double s) {
            long t = Math.round(s);
            return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, t / 60 % 60)
                    : String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
        }
    }

    private abstract static class FileLog implements TrainingListener {
        private final Path file;
        private BufferedWriter writer;

        FileLog(Path file) {
            this.file = Objects.requireNonNull(file, "file");
        }

        final void write(String line) {
            try {
                if (writer == null) {
                    if (file.getParent() != null) {
                        Files.createDirectories(file.getParent());
                    }
                    boolean fresh = !Files.exists(file) || Files.size(file) == 0;
                    writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                    if (fresh) {
                        header(writer);
                    }
                }
                writer.write(line);
                writer.newLine();
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write training log " + file, e);
            }
        }

        void header(BufferedWriter w) throws IOException {
        }

        @Override
        public void onEnd(History history) {
            try {
                if (writer != null) {
                    writer.close();
                    writer = null;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final String[] TERMS = {"content", "style", "adversarial", "tv"};

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }

    private static final class Csv extends FileLog {
        Csv(Path file) {
            super(file);
        }

        @Override
        void header(BufferedWriter w) throws IOException {
            StringBuilder sb = new StringBuilder("step,total");
            for (String t : TERMS) {
                sb.append(',').append(t).append(',').append(t).append("_weighted");
            }
            sb.append(",d_loss,d_real,d_fake,lr_g,lr_d,step_ms,images_per_s");
            w.write(sb.toString());
            w.newLine();
        }

        @Override
        public void onStep(StepEvent e) {
            StringBuilder sb = new StringBuilder().append(e.step()).append(',').append(num(e.total()));
            for (String t : TERMS) {
                sb.append(',').append(num(e.term(t))).append(',')
                        .append(num(e.weighted().getOrDefault(t, Double.NaN)));
            }
            sb.append(',').append(num(e.discriminatorLoss())).append(',').append(num(e.dReal())).append(',')
                    .append(num(e.dFake())).append(',').append(num(e.lrGenerator())).append(',')
                    .append(num(e.lrDiscriminator())).append(',').append(num(e.stepMillis())).append(',')
                    .append(num(e.imagesPerSecond()));
            write(sb.toString());
        }
    }

    private static final class JsonLines extends FileLog {
        JsonLines(Path file) {
            super(file);
        }

        @Override
        public void onStep(StepEvent e) {
            String json = new History(List.of(e)).toJson();
            // One event per line: the events array's single element.
            int start = json.indexOf("[") + 1;
            write(json.substring(start, json.lastIndexOf("]")));
        }
    }

    private static final class SampleGrid implements TrainingListener {
        private final Path dir;
        private final int every;
        private TrainingContext ctx;

        SampleGrid(Path dir, int every) {
            this.dir = Objects.requireNonNull(dir, "dir");
            if (every < 1) {
                throw new IllegalArgumentException("every must be >= 1, found " + every);
            }
            this.every = every;
        }

        @Override
        public void onStart(TrainingContext context) {
            ctx = context;
        }

        @Override
        public void onStep(StepEvent e) {
            if ((e.step() + 1) % every == 0 || e.step() + 1 == e.totalSteps()) {
                write(e.step() + 1);
            }
        }

        private void write(int step) {
            INDArray content = ctx.previewContent().castTo(DataType.FLOAT);
            INDArray generated = ctx.stylize(content).castTo(DataType.FLOAT);
            int s = (int) content.size(2);
            INDArray style = ctx.styleImage().castTo(DataType.FLOAT);
            INDArray styleCrop = ImageOps.resize(ImageOps.centerCrop(style, (int) Math.min(style.size(2),
                    style.size(3)), (int) Math.min(style.size(2), style.size(3))), s, s);
            BufferedImage styleImg = Images.toImage(styleCrop);
            int rows = (int) content.size(0);
            BufferedImage grid = new BufferedImage(3 * s, rows * s, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = grid.createGraphics();
            List<BufferedImage> cs = new ArrayList<>(Images.toImages(content));
            List<BufferedImage> gs = Images.toImages(generated);
            for (int r = 0; r < rows; r++) {
                g.drawImage(cs.get(r), 0, r * s, null);
                g.drawImage(gs.get(r), s, r * s, null);
                g.drawImage(styleImg, 2 * s, r * s, null);
            }
            g.dispose();
            try {
                Files.createDirectories(dir);
                Images.writePng(grid, dir.resolve(String.format(Locale.ROOT, "sample-%06d.png", step)));
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot write sample grid to " + dir, ex);
            }
        }
    }

    /** Returns the first {@code n} images of a batch. */
    static INDArray head(INDArray batch, int n) {
        return batch.get(NDArrayIndex.interval(0, Math.min(n, batch.size(0))));
    }
}
