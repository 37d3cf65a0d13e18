package org.stylegan.core.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of {@link InstanceNormalization}: {@code gamma} (scale, initialised to 1) and {@code beta} (shift,
 * initialised to 0), one per channel, stored as [1, C] views of the layer's flat parameter vector
 * (gamma first). No parameters when the layer is not affine.
 */
public final class InstanceNormParamInitializer implements ParamInitializer {
    /** Per-channel scale. */
    public static final String GAMMA = "gamma";
    /** Per-channel shift. */
    public static final String BETA = "beta";

    private static final InstanceNormParamInitializer INSTANCE = new InstanceNormParamInitializer();

    private InstanceNormParamInitializer() {
    }

    /** Returns the shared, stateless instance. */
    public static InstanceNormParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        InstanceNormalization in = (InstanceNormalization) layer;
        return in.isAffine() ? 2 * in.getNOut() : 0;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return ((InstanceNormalization) layer).isAffine() ? List.of(GAMMA, BETA) : Collections.emptyList();
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return ((InstanceNormalization) layer).isAffine() ? List.of(GAMMA) : Collections.emptyList();
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return ((InstanceNormalization) layer).isAffine() ? List.of(BETA) : Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return GAMMA.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BETA.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Map<String, INDArray> views = split((InstanceNormalization) conf.getLayer(), paramsView);
        if (initializeParams && !views.isEmpty()) {
            views.get(GAMMA).assign(1.0);
            views.get(BETA).assign(0.0);
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return split((InstanceNormalization) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> split(InstanceNormalization layer, INDArray flat) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (!layer.isAffine()) {
            return out;
        }
        long c = layer.getNOut();
        INDArray row = flat.reshape(1, flat.length());
        out.put(GAMMA, row.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(0, c)));
        out.put(BETA, row.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(c, 2 * c)));
        return out;
    }
}
