package org.stylegan.core.net;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Activations of a {@link FeatureExtractor} at its named taps for one forward pass. Only the latest
 * {@code Features} of an extractor can be back-propagated ({@link FeatureExtractor#backward}).
 */
public final class Features {
    private final Map<String, org.nd4j.linalg.api.ndarray.INDArray> byTap;
    private final List<String> styleTaps;
    private final String contentTap;
    final FeatureExtractor owner;
    final int generation;

    Features(Map<String, org.nd4j.linalg.api.ndarray.INDArray> byTap, List<String> styleTaps, String contentTap,
             FeatureExtractor owner, int generation) {
        this.byTap = Collections.unmodifiableMap(new LinkedHashMap<>(byTap));
        this.styleTaps = List.copyOf(styleTaps);
        this.contentTap = contentTap;
        this.owner = owner;
        this.generation = generation;
    }

    /** Returns the activation at a tap, [B, C, H, W]. */
    public org.nd4j.linalg.api.ndarray.INDArray get(String tap) {
        org.nd4j.linalg.api.ndarray.INDArray a = byTap.get(tap);
        if (a == null) {
            throw new IllegalArgumentException("no tap named '" + tap + "'; available: " + byTap.keySet());
        }
        return a;
    }

    /** Returns all activations by tap name, in network order. */
    public Map<String, org.nd4j.linalg.api.ndarray.INDArray> all() {
        return byTap;
    }

    /** Returns the style tap names, in the extractor's order. */
    public List<String> styleTaps() {
        return styleTaps;
    }

    /** Returns the activations at the style taps, in {@link #styleTaps()} order. */
    public List<org.nd4j.linalg.api.ndarray.INDArray> style() {
        List<org.nd4j.linalg.api.ndarray.INDArray> out = new ArrayList<>();
        for (String t : styleTaps) {
            out.add(byTap.get(t));
        }
        return out;
    }

    /** Returns the content tap name. */
    public String contentTap() {
        return contentTap;
    }

    /** Returns the activation at the content tap. */
    public org.nd4j.linalg.api.ndarray.INDArray content() {
        return byTap.get(contentTap);
    }
}
