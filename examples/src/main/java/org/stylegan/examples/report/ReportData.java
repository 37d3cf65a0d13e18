package org.stylegan.examples.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an HTML run report shows; immutable, built with {@link #builder(String)}.
 *
 * <p>Figures are referenced by paths relative to the report folder ({@code /}-separated, no {@code ..}),
 * so the folder can be moved or zipped as a whole. Maps keep insertion order.
 *
 * @param title     page title
 * @param subtitle  one line under the title (may be empty)
 * @param createdAt when the report was made
 * @param metrics   headline numbers, e.g. final loss values, already formatted
 * @param config    configuration key/value pairs, already formatted
 * @param timings   labelled wall-clock durations, e.g. training and inference
 * @param grids     sample grids (content | stylized | style)
 * @param curves    loss-curve charts
 * @param stylized  stylized output images
 * @param notes     free-text paragraphs shown at the end (may be empty)
 * @param evaluations the evaluator's figures per evaluation step: a header row, then one row per step (empty when
 *                    the run was not evaluated)
 */
public record ReportData(String title, String subtitle, Instant createdAt, Map<String, String> metrics,
                         Map<String, String> config, List<Timing> timings, List<Figure> grids,
                         List<Figure> curves, List<Figure> stylized, List<String> notes,
                         List<List<String>> evaluations) {

    /** Validates and copies defensively. */
    public ReportData {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(subtitle, "subtitle");
        Objects.requireNonNull(createdAt, "createdAt");
        metrics = copy(metrics, "metrics");
        config = copy(config, "config");
        timings = List.copyOf(timings);
        grids = List.copyOf(grids);
        curves = List.copyOf(curves);
        stylized = List.copyOf(stylized);
        notes = List.copyOf(notes);
        evaluations = evaluations.stream().map(List::copyOf).toList();
        if (title.isBlank()) {
            throw new IllegalArgumentException("title must not be blank, found '" + title + "'");
        }
    }

    /** Every figure of the report: grids, then curves, then stylized images. */
    public List<Figure> allFigures() {
        List<Figure> all = new ArrayList<>(grids);
        all.addAll(curves);
        all.addAll(stylized);
        return Collections.unmodifiableList(all);
    }

    private static Map<String, String> copy(Map<String, String> map, String field) {
        Objects.requireNonNull(map, field);
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(Objects.requireNonNull(k, field + " key"),
                Objects.requireNonNull(v, field + " value for " + k)));
        return Collections.unmodifiableMap(out);
    }

    /**
     * An image of the report.
     *
     * @param path    file path relative to the report folder, {@code /}-separated, e.g. {@code grids/cat.png}
     * @param caption short caption (may be empty)
     */
    public record Figure(String path, String caption) {
        /** Validates that the path is relative, stays inside the report folder, and is not a URL. */
        public Figure {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(caption, "caption");
            if (path.isBlank() || path.startsWith("/") || path.contains("\\") || path.contains(":")
                    || path.startsWith("#") || path.contains("?")) {
                throw new IllegalArgumentException("figure path must be relative to the report folder with '/' "
                        + "separators (e.g. grids/cat.png), found '" + path + "'");
            }
            for (String segment : path.split("/", -1)) {
                if (segment.isEmpty() || segment.equals("..") || segment.equals(".")) {
                    throw new IllegalArgumentException("figure path must not contain empty, '.' or '..' segments "
                            + "(it must stay inside the report folder), found '" + path + "'");
                }
            }
        }
    }

    /**
     * A labelled wall-clock duration.
     *
     * @param label    what was timed, e.g. "training (200 steps)"
     * @param duration how long it took, not negative
     */
    public record Timing(String label, Duration duration) {
        /** Validates the fields. */
        public Timing {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative()) {
                throw new IllegalArgumentException("duration of '" + label + "' must be >= 0, found " + duration);
            }
        }
    }

    /** A builder for a report titled {@code title}; createdAt defaults to now. */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** Mutable builder for {@link ReportData}; not thread-safe. */
    public static final class Builder {
        private final String title;
        private String subtitle = "";
        private Instant createdAt = Instant.now();
        private final Map<String, String> metrics = new LinkedHashMap<>();
        private final Map<String, String> config = new LinkedHashMap<>();
        private final List<Timing> timings = new ArrayList<>();
        private final List<Figure> grids = new ArrayList<>();
        private final List<Figure> curves = new ArrayList<>();
        private final List<Figure> stylized = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final List<List<String>> evaluations = new ArrayList<>();

        private Builder(String title) {
            this.title = Objects.requireNonNull(title, "title");
        }

        /** One line under the title; default empty. */
        public Builder subtitle(String subtitle) {
            this.subtitle = Objects.requireNonNull(subtitle, "subtitle");
            return this;
        }

        /** Creation time; default the builder's creation. */
        public Builder createdAt(Instant createdAt) {
            this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
            return this;
        }

        /** Adds (or replaces) a headline number. */
        public Builder metric(String name, String value) {
            metrics.put(name, value);
            return this;
        }

        /** Adds (or replaces) a configuration entry. */
        public Builder config(String key, Object value) {
            config.put(key, String.valueOf(value));
            return this;
        }

        /** Adds every entry of {@code entries}, in its iteration order. */
        public Builder config(Map<String, ?> entries) {
            entries.forEach(this::config);
            return this;
        }

        /** Adds a timing. */
        public Builder timing(String label, Duration duration) {
            timings.add(new Timing(label, duration));
            return this;
        }

        /** Adds a sample grid at {@code path} (relative to the report folder). */
        public Builder grid(String path, String caption) {
            grids.add(new Figure(path, caption));
            return this;
        }

        /** Adds a loss-curve chart at {@code path} (relative to the report folder). */
        public Builder curve(String path, String caption) {
            curves.add(new Figure(path, caption));
            return this;
        }

        /** Adds a stylized output at {@code path} (relative to the report folder). */
        public Builder stylized(String path, String caption) {
            stylized.add(new Figure(path, caption));
            return this;
        }

        /** Adds a free-text paragraph. */
        public Builder note(String paragraph) {
            notes.add(Objects.requireNonNull(paragraph, "paragraph"));
            return this;
        }

        /** Adds a row of the evaluation table (the first row added is its header). */
        public Builder evaluationRow(List<String> cells) {
            evaluations.add(List.copyOf(cells));
            return this;
        }

        /** Validates and builds. */
        public ReportData build() {
            return new ReportData(title, subtitle, createdAt, metrics, config, timings, grids, curves, stylized,
                    notes, evaluations);
        }
    }
}
