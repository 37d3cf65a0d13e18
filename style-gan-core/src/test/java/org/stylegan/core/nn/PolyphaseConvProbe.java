package org.stylegan.core.nn;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.FastPath;

/**
 * Throwaway timing probe (not a test): forward and forward+backward of one {@link NhwcConvolution2DLayer}, direct
 * path vs polyphase with phase factor 2 and 4, float32, buffers reused through a {@link BufferPool} as in training,
 * minimum over reps after warm-up. Run after {@code mvn -B -q -o -pl style-gan-core -am test-compile}:
 * {@code OMP_NUM_THREADS=2 java -cp style-gan-core/target/test-classes:style-gan-core/target/classes:
 * style-gan-bench/target/benchmarks.jar org.stylegan.core.nn.PolyphaseConvProbe [reps] [case...]}.
 * The box is shared: run it more than once and take the best.
 */
public final class PolyphaseConvProbe {
    private PolyphaseConvProbe() {
    }

    /** name, batch, in height = width, cIn, cOut, kernel, padding, activation. */
    private record Case(String name, int n, int hw, int cIn, int cOut, int k, int pad, Activation act) {
    }

    private static final Case[] CASES = {
        new Case("G-out", 1, 264, 32, 3, 9, 0, Activation.TANH),
        new Case("c1", 1, 264, 32, 1, 9, 0, Activation.TANH),
        new Case("c2", 1, 264, 32, 2, 9, 0, Activation.TANH),
        new Case("c4", 1, 264, 32, 4, 9, 0, Activation.TANH),
        new Case("c8", 1, 264, 32, 8, 9, 0, Activation.TANH),
        new Case("c16", 1, 264, 32, 16, 9, 0, Activation.TANH),
        new Case("k3c3", 1, 258, 32, 3, 3, 0, Activation.TANH),
        new Case("D-patch", 1, 31, 512, 1, 4, 1, Activation.IDENTITY),
        new Case("D-patch-b4", 4, 31, 512, 1, 4, 1, Activation.IDENTITY),
        new Case("Dres-patch", 1, 32, 256, 1, 3, 1, Activation.IDENTITY),
        new Case("Dres-b4", 4, 32, 256, 1, 3, 1, Activation.IDENTITY),
        new Case("D256", 1, 31, 256, 1, 4, 1, Activation.IDENTITY),
        new Case("k3-64", 1, 66, 32, 3, 3, 0, Activation.TANH),
        new Case("k9-64", 1, 72, 32, 3, 9, 0, Activation.TANH),
    };

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        FastPath.ensureEnabled();
        System.out.printf("%-11s %-6s %9s %9s %9s%n", "case", "path", "fwd ms", "bwd ms", "f+b ms");
        for (Case c : CASES) {
            if (args.length > 1 && !java.util.Arrays.asList(args).subList(1, args.length).contains(c.name)) {
                continue;
            }
            long out = c.hw + 2L * c.pad - c.k + 1;
            for (int s : new int[] {1, 2, 4}) {
                if (out % s == 0) {
                    run(c, s, reps);
                }
            }
        }
    }

    private static void run(Case c, int s, int reps) {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .seed(1).weightInit(WeightInit.RELU).graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(c.hw, c.hw, c.cIn, CNN2DFormat.NHWC))
                .addLayer("l", new NhwcConvolution2D.Builder(c.k).padding(c.pad).nOut(c.cOut).activation(c.act)
                        .build(), "in").setOutputs("l").build());
        g.init();
        g.initGradientsView();
        NhwcConvolution2DLayer layer = (NhwcConvolution2DLayer) g.getLayer("l");
        layer.phaseOverride = s;
        Nd4j.getRandom().setSeed(2);
        INDArray x = Nd4j.rand(DataType.FLOAT, c.n, c.hw, c.hw, c.cIn).subi(0.5);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        BufferPool pool = new BufferPool();
        double fwd = Double.MAX_VALUE;
        double bwd = Double.MAX_VALUE;
        double both = Double.MAX_VALUE;
        INDArray eps = null;
        for (int r = 0; r < reps + 3; r++) {
            pool.recycle();
            try (BufferPool.Scope ignored = pool.open()) {
                layer.setInput(x, mgr);
                long t0 = System.nanoTime();
                INDArray y = layer.activate(true, mgr);
                long t1 = System.nanoTime();
                if (eps == null) {
                    eps = Nd4j.rand(DataType.FLOAT, y.shape()).subi(0.5);
                }
                Pair<Gradient, INDArray> p = layer.backpropGradient(eps, mgr);
                long t2 = System.nanoTime();
                if (p.getSecond() == null) {
                    throw new AssertionError();
                }
                if (r >= 3) {
                    fwd = Math.min(fwd, (t1 - t0) / 1e6);
                    bwd = Math.min(bwd, (t2 - t1) / 1e6);
                    both = Math.min(both, (t2 - t0) / 1e6);
                }
            }
        }
        pool.clear();
        System.out.printf("%-11s s=%-4d %9.2f %9.2f %9.2f%n", c.name, s, fwd, bwd, both);
    }
}
