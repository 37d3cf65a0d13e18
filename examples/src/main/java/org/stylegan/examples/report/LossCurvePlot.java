package org.stylegan.examples.report;

import org.stylegan.io.Images;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws loss terms over training steps as a PNG line chart (XChart, headless).
 *
 * <p>Input is plain data, one {@code double[]} per named term, all aligned with one {@code steps} array,
 * so the plot does not depend on the trainer's types. Points that cannot be drawn are dropped per series:
 * non-finite values always, and values {@code <= 0} on a log-y axis. Long runs are averaged into at most
 * {@link Builder#maxPoints(int)} buckets. Instances are immutable and thread-safe.
 */
public final class LossCurvePlot {

    private static final Logger LOG = LoggerFactory.getLogger(LossCurvePlot.class);

    /** Matplotlib "tab10": distinct, colour-blind-tolerant line colours. */
    private static final int[] PALETTE = {
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf,
    };

    private final String title;
    private final boolean logY;
    private final int width;
    private final int height;
    private final double smoothing;
    private final int maxPoints;

    private LossCurvePlot(Builder b) {
        this.title = b.title;
        this.logY = b.logY;
        this.width = b.width;
        this.height = b.height;
        this.smoothing = b.smoothing;
        this.maxPoints = b.maxPoints;
    }

    /** A builder with the defaults stated on each setter. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether the y axis is logarithmic. */
    public boolean logY() {
        return logY;
    }

    /**
     * Renders the chart in the order of {@code series}' iteration (use a {@link LinkedHashMap}).
     *
     * @see #render(List, long[], Map)
     */
    public BufferedImage render(long[] steps, Map<String, double[]> series) {
        Objects.requireNonNull(series, "series");
        return render(new ArrayList<>(series.keySet()), steps, series);
    }

    /**
     * Renders the named terms over {@code steps}.
     *
     * @param names  terms to draw, in legend order; each must be a key of {@code series}
     * @param steps  training step of each sample, non-empty
     * @param series values per term, each the same length as {@code steps}
     * @return a TYPE_INT_RGB-compatible chart image of the configured size
     * @throws IllegalArgumentException if a name is missing, lengths differ, or nothing is drawable
     */
    public BufferedImage render(List<String> names, long[] steps, Map<String, double[]> series) {
        ReportFiles.preferHeadless();
        validate(names, steps, series);
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle("step").yAxisTitle(logY ? "loss (log scale)" : "loss").build();
        XYStyler styler = chart.getStyler();
        styler.setYAxisLogarithmic(logY);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xe3e3e3));
        // Note: for evenly spaced steps XChart 3.8 labels data points itself and ignores spacing hints; its
        // labels are dense but do not overlap.
        styler.setXAxisDecimalPattern("#,##0");
        styler.setYAxisDecimalPattern(logY ? "0.###E0" : "#,##0.####");
        // Plain 11 pt tick labels instead of XChart's bold default.
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        styler.setAntiAlias(true);

        int drawn = 0;
        List<String> skipped = new ArrayList<>();
        for (int s = 0; s < names.size(); s++) {
            String name = names.get(s);
            Color colour = new Color(PALETTE[s % PALETTE.length]);
            double[][] raw = drawable(steps, series.get(name));
            if (raw[0].length == 0) {
                skipped.add(name);
                continue;
            }
            if (smoothing > 0) {
                double[][] faint = downsample(raw);
                addLine(chart, name + " (raw)", faint, new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 70),
                        1.0f, false);
                addLine(chart, String.format(Locale.ROOT, "%s (EMA %.2f)", name, smoothing),
                        downsample(ema(raw)), colour, 2.0f, true);
            } else {
                addLine(chart, name, downsample(raw), colour, 1.6f, true);
            }
            drawn++;
        }
        if (drawn == 0) {
            throw new IllegalArgumentException("no drawable values in any of " + names + (logY
                    ? "; a log-y plot needs finite values > 0, use logY(false)" : "; all values are NaN/infinite"));
        }
        if (!skipped.isEmpty()) {
            LOG.warn("Loss plot '{}': no drawable values for {}; left out", title, skipped);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Renders the chart and writes it as a PNG, atomically.
     *
     * @see #render(List, long[], Map)
     * @throws IOException if the file cannot be written
     */
    public void write(Path png, List<String> names, long[] steps, Map<String, double[]> series) throws IOException {
        Objects.requireNonNull(png, "png");
        Images.writePng(render(names, steps, series), png);
    }

    private static void addLine(XYChart chart, String label, double[][] xy, Color colour, float width, boolean legend) {
        XYSeries s = chart.addSeries(label, xy[0], xy[1]);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(colour);
        s.setLineStyle(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        s.setShowInLegend(legend);
    }

    private static void validate(List<String> names, long[] steps, Map<String, double[]> series) {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(steps, "steps");
        Objects.requireNonNull(series, "series");
        if (names.isEmpty()) {
            throw new IllegalArgumentException("names must list at least one loss term, found none");
        }
        if (steps.length == 0) {
            throw new IllegalArgumentException("steps must hold at least one step, found 0; plot after training");
        }
        for (String name : names) {
            double[] v = series.get(name);
            if (v == null) {
                throw new IllegalArgumentException("series has no values for '" + name + "'; available: "
                        + series.keySet());
            }
            if (v.length != steps.length) {
                throw new IllegalArgumentException("series '" + name + "' must have one value per step ("
                        + steps.length + "), found " + v.length);
            }
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("names must be unique, found " + names);
        }
    }

    /** The (step, value) pairs this axis can show. */
    private double[][] drawable(long[] steps, double[] values) {
        int n = 0;
        double[] x = new double[steps.length];
        double[] y = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            double v = values[i];
            if (Double.isFinite(v) && (!logY || v > 0)) {
                x[n] = steps[i];
                y[n] = v;
                n++;
            }
        }
        return new double[][] {java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n)};
    }

    /** Exponential moving average with bias correction, so early values are not pulled toward zero. */
    private double[][] ema(double[][] xy) {
        double[] y = new double[xy[1].length];
        double acc = 0;
        double weight = 0;
        for (int i = 0; i < y.length; i++) {
            acc = smoothing * acc + (1 - smoothing) * xy[1][i];
            weight = smoothing * weight + (1 - smoothing);
            y[i] = acc / weight;
        }
        return new double[][] {xy[0], y};
    }

    /** Averages consecutive points into at most {@code maxPoints} buckets; XChart slows with 10^5 points. */
    private double[][] downsample(double[][] xy) {
        int n = xy[0].length;
        if (n <= maxPoints) {
            return xy;
        }
        double[] x = new double[maxPoints];
        double[] y = new double[maxPoints];
        for (int b = 0; b < maxPoints; b++) {
            int from = (int) ((long) b * n / maxPoints);
            int to = (int) ((long) (b + 1) * n / maxPoints);
            double sx = 0;
            double sy = 0;
            for (int i = from; i < to; i++) {
                sx += xy[0][i];
                sy += xy[1][i];
            }
            x[b] = sx / (to - from);
            // Means of positive values stay positive, so log axes remain valid.
            y[b] = sy / (to - from);
        }
        return new double[][] {x, y};
    }

    /** Builder for {@link LossCurvePlot}; {@link #build()} validates. */
    public static final class Builder {
        private String title = "Training losses";
        private boolean logY = true;
        private int width = 900;
        private int height = 480;
        private double smoothing = 0.0;
        private int maxPoints = 2000;

        private Builder() {
        }

        /** Chart title; default "Training losses". */
        public Builder title(String title) {
            this.title = Objects.requireNonNull(title, "title");
            return this;
        }

        /** Logarithmic y axis; default true, since loss terms differ by orders of magnitude. */
        public Builder logY(boolean logY) {
            this.logY = logY;
            return this;
        }

        /** Image width in pixels, 200 to 4000; default 900. */
        public Builder width(int width) {
            this.width = width;
            return this;
        }

        /** Image height in pixels, 150 to 4000; default 480. */
        public Builder height(int height) {
            this.height = height;
            return this;
        }

        /**
         * EMA smoothing factor in [0, 1); default 0 (off). When on, the raw curve is drawn faintly under the
         * smoothed one. GAN losses are noisy; 0.9 is a good value for long runs.
         */
        public Builder smoothing(double smoothing) {
            this.smoothing = smoothing;
            return this;
        }

        /** Most points drawn per curve (longer runs are bucket-averaged), at least 10; default 2000. */
        public Builder maxPoints(int maxPoints) {
            this.maxPoints = maxPoints;
            return this;
        }

        /** Validates and builds. */
        public LossCurvePlot build() {
            if (width < 200 || width > 4000) {
                throw new IllegalArgumentException("width must be in [200, 4000], found " + width);
            }
            if (height < 150 || height > 4000) {
                throw new IllegalArgumentException("height must be in [150, 4000], found " + height);
            }
            if (!(smoothing >= 0 && smoothing < 1)) {
                throw new IllegalArgumentException("smoothing must be in [0, 1), found " + smoothing);
            }
            if (maxPoints < 10) {
                throw new IllegalArgumentException("maxPoints must be >= 10, found " + maxPoints);
            }
            return new LossCurvePlot(this);
        }
    }
}
