package org.stylegan.examples.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.stylegan.core.train.EvaluationEvent;
import org.stylegan.core.train.History;
import org.stylegan.eval.Evaluation;
import org.stylegan.core.train.StepEvent;
import org.stylegan.core.train.TrainerConfig;
import org.stylegan.core.net.Generator;

/**
 * Turns a training {@link History} and {@link TrainerConfig} into report parts: loss-curve PNGs, headline
 * metrics and configuration rows. Shared by the quick start and {@code style-gan train --report}.
 */
public final class TrainingReport {

    /** Curve file of the weighted terms, relative to the report folder. */
    public static final String WEIGHTED_CURVE = "curves/losses.png";
    /** Curve file of the raw terms, relative to the report folder. */
    public static final String RAW_CURVE = "curves/raw-terms.png";

    private TrainingReport() {
    }

    /**
     * Writes two charts into {@code folder/curves}: every term as it entered the generator objective (weighted
     * and auto-balanced) with the total and the discriminator loss, and every raw term; both log-scale, EMA
     * smoothed when the run is long enough for smoothing to help.
     *
     * @return the figures, paths relative to {@code folder}
     * @throws IllegalArgumentException when the history is empty
     * @throws IOException              when a chart cannot be written
     */
    public static List<ReportData.Figure> writeCurves(History history, Path folder) throws IOException {
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(folder, "folder");
        if (history.isEmpty()) {
            throw new IllegalArgumentException("history is empty: train at least one step before writing curves");
        }
        long[] steps = new long[history.size()];
        int[] s = history.steps();
        for (int i = 0; i < s.length; i++) {
            steps[i] = s[i];
        }
        double smoothing = history.size() >= 30 ? 0.9 : 0;
        Map<String, double[]> weighted = new LinkedHashMap<>();
        Map<String, double[]> raw = new LinkedHashMap<>();
        for (String term : history.termNames()) {
            weighted.put(term, history.weightedSeries(term));
            raw.put(term, history.series(term));
        }
        weighted.put("total", history.totals());
        double[] d = history.discriminatorLosses();
        if (java.util.Arrays.stream(d).anyMatch(Double::isFinite)) {
            weighted.put("discriminator", d);
        }
        List<ReportData.Figure> figures = new ArrayList<>();
        LossCurvePlot.builder().title(weighted.containsKey("discriminator")
                        ? "Generator objective by term (weighted) and discriminator loss"
                        : "Generator objective by term (weighted)")
                .smoothing(smoothing).build()
                .write(folder.resolve(WEIGHTED_CURVE), new ArrayList<>(weighted.keySet()), steps, weighted);
        figures.add(new ReportData.Figure(WEIGHTED_CURVE,
                "each term as it entered the generator objective (weight x auto-balance x raw), log scale"));
        LossCurvePlot.builder().title("Raw loss terms (unweighted)").smoothing(smoothing).build()
                .write(folder.resolve(RAW_CURVE), new ArrayList<>(raw.keySet()), steps, raw);
        figures.add(new ReportData.Figure(RAW_CURVE, "raw (unweighted) value of every term, log scale"));
        return figures;
    }

    /** Adds the headline numbers of a run: steps, last loss terms, throughput. */
    public static void addMetrics(ReportData.Builder data, History history) {
        Objects.requireNonNull(data, "data");
        if (history.isEmpty()) {
            return;
        }
        StepEvent last = history.last();
        data.metric("steps", String.valueOf(last.step() + 1));
        data.metric("final objective", fmt(last.total()));
        last.weighted().forEach((k, v) -> data.metric("final " + k + " (weighted)", fmt(v)));
        if (Double.isFinite(last.discriminatorLoss())) {
            data.metric("final discriminator loss", fmt(last.discriminatorLoss()));
            data.metric("D(real) / D(fake)", String.format(Locale.ROOT, "%.2f / %.2f", last.dReal(), last.dFake()));
        }
        double ms = history.events().stream().skip(Math.min(1, history.size() - 1))
                .mapToDouble(StepEvent::stepMillis).average().orElse(Double.NaN);
        data.metric("mean step time (after the first)", String.format(Locale.ROOT, "%.0f ms", ms));
    }

    /**
     * Adds the evaluation table: per evaluation step the score, content kept, style moved, SSIM, edge F1, palette
     * ratio and the mean texture ratio per patch scale; the best step (the returned model's) is starred. Nothing
     * when the run was not evaluated.
     */
    public static void addEvaluations(ReportData.Builder data, History history) {
        Objects.requireNonNull(data, "data");
        if (history.evaluations().isEmpty()) {
            return;
        }
        int best = history.best().map(EvaluationEvent::step).orElse(-1);
        List<String> header = new ArrayList<>(List.of("step", "score", "content kept", "style moved", "SSIM",
                "edge F1", "palette"));
        history.evaluations().get(0).evaluation().texture()
                .forEach(t -> header.add("texture " + t.patchSize() + " px"));
        data.evaluationRow(header);
        for (EvaluationEvent e : history.evaluations()) {
            Evaluation v = e.evaluation();
            List<String> row = new ArrayList<>(List.of(e.step() + (e.step() == best ? " *" : ""), fix(v.score()),
                    fix(v.contentKept()), fix(v.styleMoved()), fix(v.ssim()), fix(v.edgeF1()), fix(v.paletteRatio())));
            v.texture().forEach(t -> row.add(fix(t.meanRatio())));
            data.evaluationRow(row);
        }
        history.best().ifPresent(e -> data.metric("best evaluation (step " + e.step() + ")", fix(e.score())));
    }

    private static String fix(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** Adds the settings a reader needs to reproduce the run. */
    public static void addConfig(ReportData.Builder data, TrainerConfig c) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(c, "config");
        data.config("steps", c.steps())
                .config("crop size / batch", c.imageSize() + " px / " + c.batchSize())
                .config("style size (shorter side)", c.styleSize() + " px")
                .config("weights alpha / beta / gamma / tv",
                        c.alpha() + " / " + c.beta() + " / " + c.gamma() + " / " + c.tv())
                .config("auto-balance", c.autoBalance())
                .config("content loss", c.contentMode().name().toLowerCase(Locale.ROOT) + " at " + c.contentTap())
                .config("style taps", String.join(", ", c.styleTaps()))
                .config("learning rate G / D", c.lrGenerator() + " / " + c.lrDiscriminator())
                .config("generator", c.generator().toString())
                .config("discriminator", c.adversarialActive() ? c.discriminator().toString()
                        + (c.discriminatorScales() > 1 ? " x " + c.discriminatorScales() + " scales" : "")
                        : "off (gamma = 0)")
                .config("seed", c.seed());
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}
