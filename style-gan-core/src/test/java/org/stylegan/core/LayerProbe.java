package org.stylegan.core;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Throwaway probe (not a test): per-vertex inference time of the default generator at 256 px, batch 1. */
public final class LayerProbe {
    private LayerProbe() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        FastPath.ensureEnabled();
        Nd4j.getRandom().setSeed(1);
        Generator g = Generator.builder().build();
        ComputationGraph cg = g.graph();
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 256, 256).muli(2).subi(1);
        int[] order = cg.topologicalSortOrder();
        GraphVertex[] v = cg.getVertices();
        Map<String, double[]> t = new HashMap<>();
        Map<String, Double> mins = new HashMap<>();
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        // Buffers reused from pass to pass, as in TrainableGraph (fresh allocations would dominate).
        org.stylegan.core.nn.BufferPool pool = new org.stylegan.core.nn.BufferPool();
        for (int r = 0; r < runs + 2; r++) {
            pool.recycle();
            org.stylegan.core.nn.BufferPool.Scope scope = pool.open();
            INDArray[] acts = new INDArray[v.length];
            long total0 = System.nanoTime();
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
                long t0 = System.nanoTime();
                acts[idx] = gv.doForward(false, mgr);
                double ms = (System.nanoTime() - t0) / 1e6;
                if (r >= 2) {
                    mins.merge(gv.getVertexName(), ms, Math::min);
                }
            }
            scope.close();
            System.out.printf("pass %d total %.1f ms%n", r, (System.nanoTime() - total0) / 1e6);
        }
        // Per vertex: its fastest run (the probe shares 2 cores with the JIT and GC threads).
        for (GraphVertex gv : v) {
            Double ms = mins.get(gv.getVertexName());
            if (ms != null) {
                String kind = gv.hasLayer() ? gv.getLayer().getClass().getSimpleName() : gv.getClass().getSimpleName();
                t.computeIfAbsent(kind, k -> new double[2])[0] += ms;
                t.get(kind)[1] += 1;
                if (args.length > 1) {
                    System.out.printf("  %-20s %-28s %7.2f ms%n", gv.getVertexName(), kind, ms);
                }
            }
        }
        t.forEach((k, a) -> System.out.printf("%-32s n=%2.0f %8.1f ms (sum of per-vertex minima)%n", k, a[1], a[0]));
    }
}
