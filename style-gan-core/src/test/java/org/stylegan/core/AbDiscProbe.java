package org.stylegan.core;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.losses.AdversarialLoss;
import org.stylegan.losses.LossResult;

/**
 * Probe (not a test): in-process A/B of static toggles on the disc_fwdbwd_b4_256 step, or with -Dab.net=gen the
 * gen_train_mse step (-Dab.batch, default 1). Blocks of steps alternate between the variants in rotating order, so
 * that the VM's drift (10% within minutes) falls on all alike; separate JVMs per variant could not resolve 5 ms.
 * Args: rounds, stepsPerBlock, then variants, each "name:cls#field=value,cls#field=value" ("base:" for none);
 * -Dab.defaults="..." is applied before each variant.
 */
public final class AbDiscProbe {
    private AbDiscProbe() {
    }

    static void set(String spec) throws Exception {
        if (spec.isEmpty()) {
            return;
        }
        for (String s : spec.split(",")) {
            String[] cf = s.split("#");
            String[] fv = cf[1].split("=");
            Field f = Class.forName(cf[0]).getDeclaredField(fv[0]);
            f.setAccessible(true);
            Class<?> t = f.getType();
            if (t == long.class) {
                f.setLong(null, Long.parseLong(fv[1]));
            } else if (t == int.class) {
                f.setInt(null, Integer.parseInt(fv[1]));
            } else if (t == boolean.class) {
                f.setBoolean(null, Boolean.parseBoolean(fv[1]));
            } else {
                throw new IllegalArgumentException(t.toString());
            }
        }
    }

    public static void main(String[] a) throws Exception {
        int rounds = Integer.parseInt(a[0]);
        int per = Integer.parseInt(a[1]);
        int nv = a.length - 2;
        String[] names = new String[nv];
        String[] on = new String[nv];
        for (int i = 0; i < nv; i++) {
            String[] p = a[i + 2].split(":", 2);
            names[i] = p[0];
            on[i] = p[1];
        }
        Nd4j.getRandom().setSeed(21);
        boolean gen = System.getProperty("ab.net", "disc").startsWith("gen");
        int gb = Integer.getInteger("ab.batch", 1);
        Discriminator d = gen ? null : Discriminator.builder().build();
        Generator g = gen ? Generator.builder().build() : null;
        INDArray x = Nd4j.rand(DataType.FLOAT, gen ? gb : 4, 3, 256, 256).muli(2).subi(1);
        INDArray target = Nd4j.rand(DataType.FLOAT, gen ? gb : 4, 3, 256, 256).muli(2).subi(1);
        AdversarialLoss bce = AdversarialLoss.bce();
        List<List<Double>> times = new ArrayList<>();
        for (int i = 0; i < nv; i++) {
            times.add(new ArrayList<>());
        }
        String defaults = System.getProperty("ab.defaults", "");
        for (int r = -1; r < rounds; r++) {
            for (int j = 0; j < nv; j++) {
                int v = (j + Math.max(r, 0)) % nv;
                set(defaults);
                set(on[v]);
                for (int s = 0; s < (r < 0 ? 4 : per); s++) {
                    long t0 = System.nanoTime();
                    if (gen) {
                        genStep(g, x, target, gb);
                    } else {
                        DiscLoopProbe.discStep(d, bce, x);
                    }
                    if (r >= 0 && s > 0) { // first step of a block pays the switch
                        times.get(v).add((System.nanoTime() - t0) / 1e6);
                    }
                }
            }
        }
        for (int i = 0; i < nv; i++) {
            double[] t = times.get(i).stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf("%-12s n=%3d median %6.1f  p25 %6.1f  p75 %6.1f  min %6.1f%n", names[i], t.length,
                    t[t.length / 2], t[t.length / 4], t[3 * t.length / 4], t[0]);
        }
    }

    /** The gen_train_mse step as GeneratorTrainingBenchmark runs it: forward, pixel MSE, backward, Adam, release. */
    static void genStep(Generator g, INDArray x, INDArray target, int batch) {
        INDArray out = g.forward(x, true);
        LossResult mse = org.stylegan.losses.ContentLoss.pixel().compute(out, target);
        org.deeplearning4j.nn.gradient.Gradient grad = g.parameterGradient(mse.gradient());
        g.applyGradient(grad, batch);
        g.releaseActivations(x);
        GradientCopy.release(grad);
        mse.gradient().close();
        out.close();
    }
}
