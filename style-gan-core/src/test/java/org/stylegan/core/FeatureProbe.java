package org.stylegan.core;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Throwaway probe (not a test): the reference random feature extractor (taps relu1_2 + relu2_2) forward + backward
 * at [1, 3, 256, 256], built NCHW (DL4J layers) and NHWC, interleaved; then inference ({@code extract}). Prints the
 * minimum over the runs of each; run with {@code OMP_NUM_THREADS=2}.
 */
public final class FeatureProbe {
    private FeatureProbe() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        FeatureExtractor[] fe = {FeatureExtractor.builder().seed(1).build(false),
                FeatureExtractor.builder().seed(1).build(true)};
        String[] name = {"NCHW", "NHWC"};
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, size, size).muli(2).subi(1);
        Features f0 = fe[0].forward(x);
        INDArray g12 = Nd4j.rand(DataType.FLOAT, f0.get("relu1_2").shape()).subi(0.5);
        INDArray g22 = Nd4j.rand(DataType.FLOAT, f0.get("relu2_2").shape()).subi(0.5);
        Map<String, INDArray> grads = Map.of("relu1_2", g12, "relu2_2", g22);
        double[] fwd = {1e9, 1e9};
        double[] bwd = {1e9, 1e9};
        double[] inf = {1e9, 1e9};
        double[] both = {1e9, 1e9};
        for (int r = 0; r < runs + 3; r++) {
            for (int k = 0; k < 2; k++) {
                long t0 = System.nanoTime();
                Features f = fe[k].forward(x);
                long t1 = System.nanoTime();
                fe[k].backward(f, grads);
                long t2 = System.nanoTime();
                fe[k].releaseActivations(); // as GanTrainer does after each step
                long t3 = System.nanoTime();
                fe[k].extract(x);
                long t4 = System.nanoTime();
                if (r >= 3) {
                    fwd[k] = Math.min(fwd[k], (t1 - t0) / 1e6);
                    bwd[k] = Math.min(bwd[k], (t2 - t1) / 1e6);
                    inf[k] = Math.min(inf[k], (t4 - t3) / 1e6);
                    both[k] = Math.min(both[k], (t2 - t0) / 1e6);
                }
            }
        }
        for (int k = 0; k < 2; k++) {
            System.out.printf("%s [1,3,%d,%d] forward %.1f ms, backward %.1f ms, fwd+bwd %.1f ms; extract %.1f ms%n",
                    name[k], size, size, fwd[k], bwd[k], both[k], inf[k]);
        }
    }
}
