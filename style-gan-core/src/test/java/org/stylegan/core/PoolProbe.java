package org.stylegan.core;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Throwaway probe (not a test): 2x2 max pooling at [1, 256, 256, 64] forward and backward, DL4J
 * {@code SubsamplingLayer} in NCHW and NHWC against libnd4j's {@code maxpool2d}/{@code maxpool2d_bp} ops called
 * directly. Minimum over the runs.
 */
public final class PoolProbe {
    private PoolProbe() {
    }

    interface Step {
        void run();
    }

    static double min(int runs, Step s) {
        for (int i = 0; i < 3; i++) {
            s.run();
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            s.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }

    static Layer dl4j(CNN2DFormat f) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(256, 256, 64, f))
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                        .stride(2, 2).convolutionMode(ConvolutionMode.Truncate).dataFormat(f).build(), "in")
                .setOutputs("pool").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g.getLayer("pool");
    }

    static int[] args(boolean nhwc) {
        return new int[] {2, 2, 2, 2, 0, 0, 1, 1, 0, 0, nhwc ? 1 : 0};
    }

    public static void main(String[] a) {
        int runs = a.length > 0 ? Integer.parseInt(a[0]) : 20;
        FastPath.ensureEnabled();
        System.out.println("oneDNN active: " + FastPath.isOneDnnActive());
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        for (CNN2DFormat f : CNN2DFormat.values()) {
            boolean nhwc = f == CNN2DFormat.NHWC;
            long[] in = nhwc ? new long[] {1, 256, 256, 64} : new long[] {1, 64, 256, 256};
            long[] out = nhwc ? new long[] {1, 128, 128, 64} : new long[] {1, 64, 128, 128};
            Nd4j.getRandom().setSeed(1);
            INDArray x = Nd4j.rand(DataType.FLOAT, in);
            INDArray g = Nd4j.rand(DataType.FLOAT, out);
            Layer l = dl4j(f);
            System.out.println(f + " helper: " + (l instanceof org.deeplearning4j.nn.layers.convolution.subsampling
                    .SubsamplingLayer s ? s.getHelper() : null));
            double fwd = min(runs, () -> {
                l.setInput(x, mgr);
                l.activate(true, mgr);
            });
            double bwd = min(runs, () -> l.backpropGradient(g, mgr));
            INDArray y = Nd4j.createUninitialized(DataType.FLOAT, out);
            INDArray dx = Nd4j.createUninitialized(DataType.FLOAT, in);
            double opF = min(runs, () -> Nd4j.exec(DynamicCustomOp.builder("maxpool2d").addInputs(x).addOutputs(y)
                    .addIntegerArguments(args(nhwc)).build()));
            double opB = min(runs, () -> Nd4j.exec(DynamicCustomOp.builder("maxpool2d_bp").addInputs(x, g)
                    .addOutputs(dx).addIntegerArguments(args(nhwc)).build()));
            System.out.printf("%s SubsamplingLayer fwd %.2f ms bwd %.2f ms | op maxpool2d %.2f ms, _bp %.2f ms%n",
                    f, fwd, bwd, opF, opB);
        }
    }
}
