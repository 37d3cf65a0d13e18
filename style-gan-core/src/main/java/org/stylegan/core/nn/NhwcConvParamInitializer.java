package org.stylegan.core.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of {@link NhwcConvolution2D} and {@link UpsampleConvolution2D}: weights {@code W} as [kH, kW, cIn, cOut] (libnd4j's weight format 0),
 * then bias {@code b} as [1, cOut], both views of the layer's flat parameter vector. Weights use the layer's
 * weight initialiser with DL4J's convolution fan-in/fan-out (cIn*kH*kW and cOut*kH*kW/(sH*sW)), drawn in the
 * order DL4J's {@code ConvolutionLayer} draws them.
 */
public final class NhwcConvParamInitializer implements ParamInitializer {
    /** Weight key. */
    public static final String WEIGHT = "W";
    /** Bias key. */
    public static final String BIAS = "b";

    private static final NhwcConvParamInitializer INSTANCE = new NhwcConvParamInitializer();

    private NhwcConvParamInitializer() {
    }

    /** Returns the shared, stateless instance. */
    public static NhwcConvParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        NhwcConvConfig c = (NhwcConvConfig) layer;
        int[] k = c.getKernel();
        return (long) k[0] * k[1] * c.getNIn() * c.getNOut() + c.getNOut();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(WEIGHT, BIAS);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHT);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(BIAS);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        NhwcConvConfig c = (NhwcConvConfig) conf.getLayer();
        Map<String, INDArray> views = split(c, paramsView);
        if (initializeParams) {
            int[] k = c.getKernel();
            int[] s = c.getStride();
            double fanIn = (double) c.getNIn() * k[0] * k[1];
            double fanOut = (double) c.getNOut() * k[0] * k[1] / ((double) s[0] * s[1]);
            // Drawn in DL4J ConvolutionLayer's [cOut, cIn, kH, kW] order, then transposed: the same seed gives
            // the same network as the NCHW layers (a generator keeps its initial function across layouts).
            INDArray oihw = Nd4j.createUninitialized(paramsView.dataType(), c.getNOut(), c.getNIn(), k[0], k[1]);
            c.getWeightInitFn().init(fanIn, fanOut, oihw.shape(), 'c', oihw);
            views.get(WEIGHT).assign(oihw.permute(2, 3, 1, 0));
            views.get(BIAS).assign(c.getBiasInit());
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return split((NhwcConvConfig) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> split(NhwcConvConfig c, INDArray flat) {
        int[] k = c.getKernel();
        long nW = (long) k[0] * k[1] * c.getNIn() * c.getNOut();
        INDArray row = flat.reshape(1, flat.length());
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(WEIGHT, row.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(0, nW))
                .reshape('c', k[0], k[1], c.getNIn(), c.getNOut()));
        out.put(BIAS, row.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(nW, nW + c.getNOut())));
        return out;
    }
}
