package org.stylegan.core.nn;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Throwaway timing probe (not a test): backward of one {@link NhwcConvolution2DLayer} with few input channels in its
 * three modes (full, input gradient only, parameter gradients only), conv2d_bp / deconv2d ("old",
 * {@code smallInputOverride = 0}) against the automatic choice ("new"), interleaved in one JVM, float32, buffers
 * reused through a {@link BufferPool} as in training, minimum over 8 reps after warm-up. Run after
 * {@code mvn -B -q -o -pl style-gan-core -am test-compile}: {@code OMP_NUM_THREADS=2 java -cp
 * style-gan-core/target/test-classes:style-gan-core/target/classes:style-gan-bench/target/benchmarks.jar
 * org.stylegan.core.nn.SmallInputBackwardProbe [sweep|small]}. The box is shared: run it more than once.
 */
public final class SmallInputBackwardProbe {
    private SmallInputBackwardProbe() {
    }

    private static void run(String label, int n, int h, int cIn, int cOut, int k, int s, int p) {
        NhwcConvolution2D layer = new NhwcConvolution2D.Builder(k).stride(s).padding(p).nOut(cOut)
                .activation(Activation.IDENTITY).build();
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(h, h, cIn, CNN2DFormat.NHWC))
                .addLayer("l", layer, "in").setOutputs("l").build();
        ComputationGraph cg = new ComputationGraph(conf);
        cg.init();
        cg.initGradientsView();
        NhwcConvolution2DLayer l = (NhwcConvolution2DLayer) cg.getLayer("l");
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = Nd4j.rand(DataType.FLOAT, n, h, h, cIn).subi(0.5);
        l.setInput(x, mgr);
        INDArray y = l.activate(true, mgr);
        INDArray eps = Nd4j.rand(DataType.FLOAT, y.shape()).subi(0.5);
        String[] modes = {"full", "input-only", "param-only"};
        double[][] best = new double[2][3];
        for (double[] b : best) java.util.Arrays.fill(b, 1e9);
        BufferPool pool = new BufferPool();
        for (int r = 0; r < 10; r++) {
            for (int m = 0; m < 3; m++) {
                for (int v = 0; v < 2; v++) {
                    l.smallInputOverride = v == 1 ? -1 : 0;
                    l.setInputGradientOnly(m == 1);
                    l.setParameterGradientOnly(m == 2);
                    pool.recycle();
                    double ms;
                    try (BufferPool.Scope sc = pool.open()) {
                        l.setInput(x, mgr);
                        long t = System.nanoTime();
                        l.backpropGradient(eps, mgr);
                        ms = (System.nanoTime() - t) / 1e6;
                    }
                    if (r >= 2) best[v][m] = Math.min(best[v][m], ms);
                }
            }
        }
        for (int m = 0; m < 3; m++) {
            System.out.printf("%-34s %-10s old %7.2f  new %7.2f ms%n", label, modes[m], best[0][m], best[1][m]);
        }
    }

    public static void main(String[] a) {
        if (a.length > 0 && a[0].equals("sweep")) {
            run("D c0 b1 64 3->64 k4s2p1", 1, 64, 3, 64, 4, 2, 1);
            run("D c0 b1 128 3->64 k4s2p1", 1, 128, 3, 64, 4, 2, 1);
            run("D c0 b4 128 3->64 k4s2p1", 4, 128, 3, 64, 4, 2, 1);
            run("D c0 b1 256 3->64 k4s2p1", 1, 256, 3, 64, 4, 2, 1);
            run("G c0 b1 72 3->32 k9s1p0", 1, 72, 3, 32, 9, 1, 0);
            run("G c0 b1 136 3->32 k9s1p0", 1, 136, 3, 32, 9, 1, 0);
            run("VGG b1 64 3->64 k3s1p1", 1, 64, 3, 64, 3, 1, 1);
            run("VGG b1 128 3->64 k3s1p1", 1, 128, 3, 64, 3, 1, 1);
            return;
        }
        if (a.length > 0 && a[0].equals("small")) {
            run("D c0 b1 32 3->64 k4s2p1", 1, 32, 3, 64, 4, 2, 1);
            run("D c0 b4 64 3->64 k4s2p1", 4, 64, 3, 64, 4, 2, 1);
            run("G c0 b1 40 3->32 k9s1p0", 1, 40, 3, 32, 9, 1, 0);
            return;
        }
        if (a.length > 0) { run("D c0 b4 256 3->64 k4s2p1", 4, 256, 3, 64, 4, 2, 1); return; }
        run("D c0 b4 256 3->64 k4s2p1", 4, 256, 3, 64, 4, 2, 1);
        run("G c0 b1 264 3->32 k9s1p0", 1, 264, 3, 32, 9, 1, 0);
        run("VGG conv1_1 b1 256 3->64 k3s1p1", 1, 256, 3, 64, 3, 1, 1);
        run("VGG conv1_1 b4 256 3->64 k3s1p1", 4, 256, 3, 64, 3, 1, 1);
    }
}
