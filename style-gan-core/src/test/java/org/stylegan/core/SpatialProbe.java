package org.stylegan.core;

import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.nn.LayoutPermute2D;
import org.stylegan.core.nn.NearestUpsampling2D;
import org.stylegan.core.nn.ReflectionPadding2D;

/**
 * Throwaway timing probe (not a test): forward and backward of the parameter-free layers, NCHW vs NHWC, float32,
 * min over reps after warm-up. Run: OMP_NUM_THREADS=2 java -cp target/test-classes:target/classes:$(deps)
 * org.stylegan.core.SpatialProbe [reps] [ws] [rev]. With "ws" every rep runs in one reused workspace, as in a
 * graph; without it each rep allocates fresh memory and page faults dominate (~3 ms per 8 MB). "rev" runs NHWC
 * first. The box is shared: take the minimum over several runs.
 */
public final class SpatialProbe {
    private static final String WS = "PROBE_WS";
    private static final WorkspaceConfiguration WS_CONF = WorkspaceConfiguration.builder().initialSize(256L << 20)
            .policyAllocation(AllocationPolicy.STRICT).policyLearning(LearningPolicy.NONE).build();
    /** Like a graph's workspaces: activations and gradients reuse memory from one rep to the next. */
    private static final LayerWorkspaceMgr WS_MGR = wsMgr();
    private static boolean useWorkspace;

    private SpatialProbe() {
    }

    /** Every array type in one workspace ({@code defaultNoWorkspace().with(...)} left activations outside). */
    private static LayerWorkspaceMgr wsMgr() {
        LayerWorkspaceMgr.Builder b = LayerWorkspaceMgr.builder();
        for (ArrayType t : ArrayType.values()) {
            b.with(t, WS, WS_CONF);
        }
        return b.build();
    }

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        FastPath.ensureEnabled();
        useWorkspace = args.length > 1 && args[1].equals("ws");
        System.out.println("workspace: " + useWorkspace);
        System.out.printf("%-34s %-5s %9s %9s%n", "case", "fmt", "fwd ms", "bwd ms");
        for (CNN2DFormat f : args.length > 2 && args[2].equals("rev") ? new CNN2DFormat[] {CNN2DFormat.NHWC, CNN2DFormat.NCHW} : CNN2DFormat.values()) {
            run("pad1 [1,128,64,64]", ReflectionPadding2D.of(1, f), f, 128, 64, 64, reps);
            run("pad4 [1,32,256,256]", ReflectionPadding2D.of(4, f), f, 32, 256, 256, reps);
            run("up2 [1,128,64,64]", NearestUpsampling2D.of(2, f), f, 128, 64, 64, reps);
            run("up2 [1,64,128,128]", NearestUpsampling2D.of(2, f), f, 64, 128, 128, reps);
        }
        for (int[] s : new int[][] {{128, 64, 64}, {32, 256, 256}, {3, 256, 256}}) {
            String shape = "[1," + s[0] + "," + s[1] + "," + s[2] + "]";
            run("permute toNhwc " + shape, LayoutPermute2D.toNhwc(), CNN2DFormat.NCHW, s[0], s[1], s[2], reps);
            run("permute toNchw " + shape, LayoutPermute2D.toNchw(), CNN2DFormat.NHWC, s[0], s[1], s[2], reps);
        }
    }

    private static void run(String name, org.deeplearning4j.nn.conf.layers.Layer conf, CNN2DFormat inFormat, int c,
            int h, int w, int reps) {
        ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(h, w, c, inFormat))
                .addLayer("l", conf, "in").setOutputs("l").build());
        g.init();
        Layer layer = g.getLayer("l");
        LayerWorkspaceMgr mgr = useWorkspace ? WS_MGR : LayerWorkspaceMgr.noWorkspaces();
        long[] shape = inFormat == CNN2DFormat.NCHW ? new long[] {1, c, h, w} : new long[] {1, h, w, c};
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, shape);
        layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        INDArray y = layer.activate(true, LayerWorkspaceMgr.noWorkspaces());
        INDArray eps = Nd4j.rand(DataType.FLOAT, y.shape());
        double fwd = time(reps, () -> layer.activate(true, mgr));
        double bwd = time(reps, () -> layer.backpropGradient(eps, mgr).getSecond());
        String fmt = conf instanceof LayoutPermute2D ? "" : inFormat.name();
        System.out.printf("%-34s %-5s %9.3f %9.3f%n", name, fmt, fwd, bwd);
    }

    private static double time(int reps, Supplier<INDArray> op) {
        for (int i = 0; i < 5; i++) {
            if (useWorkspace) {
                try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WS_CONF, WS)) {
                    op.get();
                }
            } else {
                op.get();
            }
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            if (useWorkspace) {
                try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(WS_CONF, WS)) {
                    op.get().getFloat(0);
                }
            } else {
                op.get().getFloat(0); // ops run synchronously on CPU; touch the result anyway
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }
}
