package org.stylegan.losses;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of a {@link WeightedLoss}: total, each term's unweighted and weighted value, and each
 * term's weighted gradients (weight already applied).
 *
 * <p>Maps iterate in the order the terms were added. Gradients are owned by the caller: new arrays from
 * {@link WeightedLoss#with}, the added results' own arrays from {@link WeightedLoss#owning}. {@link #close()}
 * frees them all at once.
 */
public final class LossBreakdown implements AutoCloseable {

    private final Map<String, Double> terms;
    private final Map<String, Double> weights;
    private final Map<String, Double> weightedTerms;
    private final Map<String, List<INDArray>> weightedGradients;
    private final double total;

    LossBreakdown(Map<String, Double> terms, Map<String, Double> weights,
            Map<String, List<INDArray>> weightedGradients) {
        this.terms = Collections.unmodifiableMap(new LinkedHashMap<>(terms));
        this.weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        Map<String, Double> wt = new LinkedHashMap<>();
        double sum = 0;
        for (Map.Entry<String, Double> e : terms.entrySet()) {
            double v = weights.get(e.getKey()) * e.getValue();
            wt.put(e.getKey(), v);
            sum += v;
        }
        this.weightedTerms = Collections.unmodifiableMap(wt);
        Map<String, List<INDArray>> g = new LinkedHashMap<>();
        weightedGradients.forEach((k, v) -> g.put(k, List.copyOf(v)));
        this.weightedGradients = Collections.unmodifiableMap(g);
        this.total = sum;
    }

    /** @return the weighted total {@code sum_k w_k L_k} */
    public double total() {
        return total;
    }

    /** @return unweighted value of each term, by name */
    public Map<String, Double> terms() {
        return terms;
    }

    /** @return weight of each term, by name */
    public Map<String, Double> weights() {
        return weights;
    }

    /** @return weighted value {@code w_k L_k} of each term, by name */
    public Map<String, Double> weightedTerms() {
        return weightedTerms;
    }

    /**
     * Returns the weighted gradients of a term (one per input; several for a multi-layer style term).
     *
     * @param name term name
     * @return {@code w * dL/d(input)} for each of the term's inputs
     */
    public List<INDArray> weightedGradients(String name) {
        List<INDArray> g = weightedGradients.get(name);
        if (g == null) {
            throw new IllegalArgumentException("no term named '" + name + "'; terms are " + terms.keySet());
        }
        return g;
    }

    /**
     * Returns the single weighted gradient of a term.
     *
     * @param name term name
     * @return {@code w * dL/d(input)}
     * @throws IllegalArgumentException if the term is unknown or has several gradients
     */
    public INDArray weightedGradient(String name) {
        List<INDArray> g = weightedGradients(name);
        if (g.size() != 1) {
            throw new IllegalArgumentException("term '" + name + "' has " + g.size()
                    + " gradients (one per layer); use weightedGradients(name)");
        }
        return g.get(0);
    }

    /**
     * Sums the weighted gradients of several single-gradient terms taken with respect to the same
     * input (for example "content" and "tv" in pixel space), in a new array.
     *
     * @param names term names, at least one
     * @return the summed gradient
     * @throws IllegalArgumentException if a term is unknown, multi-gradient, or shapes differ
     */
    public INDArray sumWeightedGradients(String... names) {
        if (names == null || names.length == 0) {
            throw new IllegalArgumentException("names must list at least one term; terms are " + terms.keySet());
        }
        INDArray[] gs = new INDArray[names.length];
        for (int i = 0; i < names.length; i++) {
            gs[i] = weightedGradient(names[i]);
        }
        return sum(names, gs);
    }

    /**
     * Adds gradients of equal shape and data type into a new array (inputs untouched).
     *
     * @param names a label per gradient, for error messages
     * @param gradients the gradients
     * @return their sum
     */
    static INDArray sum(String[] names, INDArray... gradients) {
        INDArray acc = gradients[0].dup('c');
        for (int i = 1; i < gradients.length; i++) {
            if (!Arrays.equals(gradients[i].shape(), acc.shape())) {
                throw new IllegalArgumentException("gradient of '" + names[i] + "' has shape "
                        + Arrays.toString(gradients[i].shape()) + " but gradient of '" + names[0]
                        + "' has shape " + Arrays.toString(acc.shape()) + "; only gradients with respect to"
                        + " the same input can be summed");
            }
            Checks.sameType("gradient of '" + names[i] + "'", gradients[i], "gradient of '" + names[0] + "'", acc);
            acc.addi(gradients[i]);
        }
        return acc;
    }

    /** Closes every weighted gradient that is not closed yet (values and weights stay readable). */
    @Override
    public void close() {
        for (List<INDArray> gs : weightedGradients.values()) {
            for (INDArray g : gs) {
                if (!g.wasClosed()) {
                    g.close();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "LossBreakdown[total=" + total + ", terms=" + terms + ", weighted=" + weightedTerms + "]";
    }
}
