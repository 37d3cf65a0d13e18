package org.stylegan.core.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.stylegan.eval.Evaluation;
import org.stylegan.eval.TextureScale;

/**
 * The training history: every {@link StepEvent} in step order, with per-term series for plotting, and the
 * collapses the trainer recovered from ({@link CollapseEvent}) and the evaluations on a held-out photo
 * ({@link EvaluationEvent}). Immutable.
 */
public final class History {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int JSON_VERSION = 1;

    private final List<StepEvent> events;
    private final List<CollapseEvent> collapses;
    private final List<EvaluationEvent> evaluations;

    /** Creates a history from events in step order (copied), with no collapses. */
    public History(List<StepEvent> events) {
        this(events, List.of());
    }

    /** Creates a history from events in step order and the collapses recovered from (both copied). */
    public History(List<StepEvent> events, List<CollapseEvent> collapses) {
        this(events, collapses, List.of());
    }

    /** Creates a history from events in step order, collapses and evaluations (all copied). */
    public History(List<StepEvent> events, List<CollapseEvent> collapses, List<EvaluationEvent> evaluations) {
        this.events = List.copyOf(Objects.requireNonNull(events, "events"));
        this.collapses = List.copyOf(Objects.requireNonNull(collapses, "collapses"));
        this.evaluations = List.copyOf(Objects.requireNonNull(evaluations, "evaluations"));
    }

    /** Returns the evaluations on the held-out photo, in step order (empty when evaluation was off). */
    public List<EvaluationEvent> evaluations() {
        return evaluations;
    }

    /**
     * Returns the evaluation with the highest {@link org.stylegan.eval.Evaluation#score()} (the earliest on a tie),
     * the step whose generator {@code StyleTransfer.fit} returns; empty without evaluations.
     */
    public Optional<EvaluationEvent> best() {
        EvaluationEvent best = null;
        for (EvaluationEvent e : evaluations) {
            if (best == null || e.score() > best.score()) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Returns the collapses the trainer rolled back from, in order (empty for a healthy run). */
    public List<CollapseEvent> collapses() {
        return collapses;
    }

    /** Returns an empty history. */
    public static History empty() {
        return new History(List.of());
    }

    /** Returns every event, in step order. */
    public List<StepEvent> events() {
        return events;
    }

    /** Returns the number of recorded steps. */
    public int size() {
        return events.size();
    }

    /** Returns true when nothing was recorded. */
    public boolean isEmpty() {
        return events.isEmpty();
    }

    /** Returns the last event. @throws IllegalStateException when empty */
    public StepEvent last() {
        if (events.isEmpty()) {
            throw new IllegalStateException("history is empty: no training step was recorded");
        }
        return events.get(events.size() - 1);
    }

    /** Returns the term names seen, in first-seen order. */
    public Set<String> termNames() {
        Set<String> names = new LinkedHashSet<>();
        for (StepEvent e : events) {
            names.addAll(e.terms().keySet());
        }
        return names;
    }

    /** Returns the step index of every event. */
    public int[] steps() {
        return events.stream().mapToInt(StepEvent::step).toArray();
    }

    /** Returns the raw values of a term per event (NaN where the term was inactive). */
    public double[] series(String term) {
        return events.stream().mapToDouble(e -> e.term(term)).toArray();
    }

    /** Returns the weighted values of a term per event (NaN where inactive). */
    public double[] weightedSeries(String term) {
        return events.stream().mapToDouble(e -> e.weighted().getOrDefault(term, Double.NaN)).toArray();
    }

    /** Returns the generator objective per event. */
    public double[] totals() {
        return events.stream().mapToDouble(StepEvent::total).toArray();
    }

    /** Returns the discriminator loss per event. */
    public double[] discriminatorLosses() {
        return events.stream().mapToDouble(StepEvent::discriminatorLoss).toArray();
    }

    /** Returns a history with {@code more} appended. */
    public History append(List<StepEvent> more) {
        List<StepEvent> all = new ArrayList<>(events);
        all.addAll(more);
        return new History(all, collapses, evaluations);
    }

    /** Serialises to JSON (one object with an {@code events} array). NaN values are written as null. */
    public String toJson() {
        List<Map<String, Object>> list = new ArrayList<>();
        for (StepEvent e : events) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", e.step());
            m.put("totalSteps", e.totalSteps());
            m.put("terms", finite(e.terms()));
            m.put("weighted", finite(e.weighted()));
            m.put("total", finite(e.total()));
            m.put("discriminatorLoss", finite(e.discriminatorLoss()));
            m.put("dReal", finite(e.dReal()));
            m.put("dFake", finite(e.dFake()));
            m.put("lrGenerator", e.lrGenerator());
            m.put("lrDiscriminator", e.lrDiscriminator());
            m.put("stepMillis", e.stepMillis());
            m.put("imagesPerSecond", e.imagesPerSecond());
            list.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", JSON_VERSION);
        root.put("events", list);
        if (!collapses.isEmpty()) {   // optional: files of healthy runs stay as they were
            List<Map<String, Object>> cs = new ArrayList<>();
            for (CollapseEvent c : collapses) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("step", c.step());
                m.put("kind", c.kind());
                m.put("restoredTo", c.restoredTo());
                m.put("lrGenerator", c.lrGenerator());
                m.put("lrDiscriminator", finite(c.lrDiscriminator()));
                cs.add(m);
            }
            root.put("collapses", cs);
        }
        if (!evaluations.isEmpty()) {   // optional, like collapses
            List<Map<String, Object>> es = new ArrayList<>();
            for (EvaluationEvent e : evaluations) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("step", e.step());
                try {
                    m.put("evaluation", JSON.readValue(e.evaluation().toJson(), Map.class));
                } catch (JsonProcessingException ex) {
                    throw new IllegalStateException("cannot read the evaluation's JSON", ex);
                }
                es.add(m);
            }
            root.put("evaluations", es);
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write history JSON", e);
        }
    }

    /** Parses {@link #toJson()} output. @throws IllegalArgumentException for malformed JSON */
    @SuppressWarnings("unchecked")
    public static History fromJson(String json) {
        Map<String, Object> root;
        try {
            root = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid history JSON: " + e.getOriginalMessage(), e);
        }
        Object v = root.get("version");
        if (!(v instanceof Number n) || n.intValue() != JSON_VERSION) {
            throw new IllegalArgumentException("history JSON: expected version " + JSON_VERSION + ", found " + v);
        }
        List<StepEvent> events = new ArrayList<>();
        if (!(root.get("events") instanceof List<?> list)) {
            throw new IllegalArgumentException("history JSON: 'events' must be a list, found " + root.get("events"));
        }
        try {
            for (Map<String, Object> m : (List<Map<String, Object>>) list) {
                events.add(new StepEvent(num(m, "step").intValue(), num(m, "totalSteps").intValue(),
                        doubles((Map<String, Object>) m.get("terms")), doubles((Map<String, Object>) m.get("weighted")),
                        dbl(m, "total"), dbl(m, "discriminatorLoss"), dbl(m, "dReal"), dbl(m, "dFake"),
                        dbl(m, "lrGenerator"), dbl(m, "lrDiscriminator"), dbl(m, "stepMillis"),
                        dbl(m, "imagesPerSecond")));
            }
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("history JSON: malformed event " + events.size() + ": " + e, e);
        }
        List<CollapseEvent> collapses = new ArrayList<>();
        if (root.get("collapses") instanceof List<?> cs) {
            for (Object o : cs) {
                if (!(o instanceof Map<?, ?> c)) {
                    throw new IllegalArgumentException("history JSON: malformed collapse " + collapses.size());
                }
                Map<String, Object> m = (Map<String, Object>) c;
                collapses.add(new CollapseEvent(num(m, "step").intValue(), String.valueOf(m.get("kind")),
                        num(m, "restoredTo").intValue(), dbl(m, "lrGenerator"), dbl(m, "lrDiscriminator")));
            }
        }
        List<EvaluationEvent> evaluations = new ArrayList<>();
        if (root.get("evaluations") instanceof List<?> es) {
            try {
                for (Object o : es) {
                    Map<String, Object> m = (Map<String, Object>) o;
                    evaluations.add(new EvaluationEvent(num(m, "step").intValue(),
                            evaluation((Map<String, Object>) m.get("evaluation"))));
                }
            } catch (ClassCastException | NullPointerException e) {
                throw new IllegalArgumentException("history JSON: malformed evaluation " + evaluations.size(), e);
            }
        }
        return new History(events, collapses, evaluations);
    }

    @SuppressWarnings("unchecked")
    private static Evaluation evaluation(Map<String, Object> m) {
        List<TextureScale> texture = new ArrayList<>();
        for (Map<String, Object> t : (List<Map<String, Object>>) m.get("texture")) {
            texture.add(new TextureScale(num(t, "patchSize").intValue(), figure(t, "filterBankRatio"),
                    figure(t, "patchRatio"), figure(t, "filterBankDistance"), figure(t, "contentFilterBankDistance"),
                    figure(t, "patchDistance"), figure(t, "contentPatchDistance")));
        }
        return new Evaluation(figure(m, "ssim"), figure(m, "edgeF1"), figure(m, "paletteRatio"),
                figure(m, "paletteDistance"), figure(m, "contentPaletteDistance"), texture,
                figure(m, "contentBaseline"), figure(m, "contentKept"), figure(m, "styleMoved"), figure(m, "score"));
    }

    /** A figure of Evaluation.toJson(): a number, or a non-finite value written as a string. */
    private static double figure(Map<String, Object> m, String key) {
        Object o = m.get(key);
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(o));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("history JSON: evaluation field '" + key + "' must be a number, found "
                    + o, e);
        }
    }

    private static Object finite(double d) {
        return Double.isFinite(d) ? d : null;
    }

    private static Map<String, Object> finite(Map<String, Double> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, d) -> out.put(k, finite(d)));
        return out;
    }

    private static Number num(Map<String, Object> m, String key) {
        Object o = m.get(key);
        if (!(o instanceof Number n)) {
            throw new IllegalArgumentException("history JSON: field '" + key + "' must be a number, found " + o);
        }
        return n;
    }

    private static double dbl(Map<String, Object> m, String key) {
        Object o = m.get(key);
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static Map<String, Double> doubles(Map<String, Object> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (m != null) {
            m.forEach((k, o) -> out.put(k, o instanceof Number n ? n.doubleValue() : Double.NaN));
        }
        return out;
    }

    @Override
    public String toString() {
        return "History[" + events.size() + " steps" + (events.isEmpty() ? "" : ", last total " + last().total()) + "]";
    }
}
