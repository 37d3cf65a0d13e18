package org.stylegan.core;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.nn.BufferPool;

/** Throwaway probe (not a test): per-layer forward/backward time of the default generator (256 px, batch 1) or, with
 * arguments {@code N disc}, the default discriminator (batch 4). */
public final class BackwardProbe {
    private BackwardProbe() {
    }

    public static void main(String[] args) throws Exception {
        AbDiscProbe.set(System.getProperty("probe.set", ""));
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        Nd4j.getRandom().setSeed(1);
        boolean disc = args.length > 1 && args[1].equals("disc");
        TrainableGraph g = disc ? Discriminator.builder().build() : Generator.builder().build();
        ComputationGraph cg = g.graph();
        cg.initGradientsView();
        INDArray x = Nd4j.rand(DataType.FLOAT, disc ? 4 : 1, 3, 256, 256).muli(2).subi(1);
        Map<String, Double> fwd = new LinkedHashMap<>();
        int[] order = cg.topologicalSortOrder();
        GraphVertex[] v = cg.getVertices();
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        BufferPool pool = new BufferPool();
        Map<String, Double> mins = new LinkedHashMap<>();
        Map<String, String> kinds = new HashMap<>();
        for (int r = 0; r < runs + 2; r++) {
            pool.recycle();
            try (BufferPool.Scope s = pool.open()) {
                INDArray[] acts = new INDArray[v.length];
                for (int idx : order) {
                    GraphVertex gv = v[idx];
                    if (gv.isInputVertex()) {
                        acts[idx] = x;
                        continue;
                    }
                    VertexIndices[] ins = gv.getInputVertices();
                    for (int i = 0; i < ins.length; i++) {
                        gv.setInput(i, acts[ins[i].getVertexIndex()], mgr);
                    }
                    long f0 = System.nanoTime();
                    acts[idx] = gv.doForward(true, mgr);
                    if (r >= 2) {
                        fwd.merge(gv.getVertexName(), (System.nanoTime() - f0) / 1e6, Math::min);
                    }
                    if (gv.hasLayer()) {
                        Layer l = gv.getLayer();
                        INDArray eps = Nd4j.rand(DataType.FLOAT, acts[idx].shape()).subi(0.5);
                        long t0 = System.nanoTime();
                        l.backpropGradient(eps, mgr);
                        double ms = (System.nanoTime() - t0) / 1e6;
                        if (r >= 2) {
                            mins.merge(gv.getVertexName(), ms, Math::min);
                            kinds.put(gv.getVertexName(), l.getClass().getSimpleName());
                        }
                        // backprop consumed layer state; restore the forward state for the next layer's input
                        l.setInput(acts[ins[0].getVertexIndex()], mgr);
                    }
                }
            }
        }
        Map<String, double[]> byKind = new LinkedHashMap<>();
        mins.forEach((name, ms) -> {
            System.out.printf("  %-20s %-28s fwd %7.2f bwd %7.2f ms%n", name, kinds.get(name), fwd.get(name), ms);
            double[] a = byKind.computeIfAbsent(kinds.get(name), k -> new double[2]);
            a[0] += ms;
            a[1]++;
        });
        byKind.forEach((k, a) -> System.out.printf("%-32s n=%2.0f %8.1f ms (backward, sum of minima)%n", k, a[1], a[0]));
    }
}
