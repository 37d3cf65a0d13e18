package org.stylegan.core;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Throwaway probe (not a test): NHWC -> NCHW copy variants at [1,256,256,32], min ms over reps. */
public final class PermuteProbe {
    private PermuteProbe() {
    }

    public static void main(String[] args) {
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 256, 256, 32);
        INDArray out = Nd4j.create(DataType.FLOAT, 1, 32, 256, 256);
        t("4D permute assign", () -> out.assign(x.permute(0, 3, 1, 2)));
        t("2D transpose assign [HW,C]->[C,HW]", () -> out.reshape(32, 65536).assign(x.reshape(65536, 32)
                .transpose()));
        t("3D [H, W, C] -> [C, H, W] as out.permute(1,2,0) <- x", () -> out.reshape(32, 256, 256).permute(1, 2, 0)
                .assign(x.reshape(256, 256, 32)));
        t("permute dup c", () -> x.permute(0, 3, 1, 2).dup('c'));
        t("blocked: 16 row blocks of [4096,32]^T", () -> {
            INDArray o2 = out.reshape(32, 65536);
            INDArray x2 = x.reshape(65536, 32);
            for (int b = 0; b < 16; b++) {
                o2.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(b * 4096, (b + 1) * 4096))
                        .assign(x2.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(b * 4096, (b + 1) * 4096),
                                org.nd4j.linalg.indexing.NDArrayIndex.all()).transpose());
            }
            return out;
        });
        INDArray y = Nd4j.rand(DataType.FLOAT, 1, 32, 256, 256);
        INDArray outh = Nd4j.create(DataType.FLOAT, 1, 256, 256, 32);
        t("NCHW->NHWC 4D permute assign", () -> outh.assign(y.permute(0, 2, 3, 1)));
        t("NCHW->NHWC outh.permute(0,3,1,2) <- y", () -> outh.permute(0, 3, 1, 2).assign(y));
    }

    private static void t(String name, java.util.function.Supplier<INDArray> op) {
        for (int i = 0; i < 5; i++) {
            op.get();
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            long t0 = System.nanoTime();
            op.get().getFloat(0);
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        System.out.printf("%-52s %8.3f ms%n", name, best);
    }
}
