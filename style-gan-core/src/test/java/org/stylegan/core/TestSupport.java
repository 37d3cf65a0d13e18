package org.stylegan.core;

import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.net.FeatureExtractor;
import org.stylegan.core.net.Features;
import org.stylegan.core.internal.TrainableGraph;

/** Test helpers: tolerance-aware comparison and finite-difference gradient checks in double precision. */
public final class TestSupport {
    private TestSupport() {
    }

    /** Asserts |a - e| <= atol + rtol * |e| elementwise, naming the first failing index. */
    public static void assertAllClose(INDArray actual, INDArray expected, double rtol, double atol) {
        if (!Arrays.equals(actual.shape(), expected.shape())) {
            fail("shape " + Arrays.toString(actual.shape()) + " != expected " + Arrays.toString(expected.shape()));
        }
        double[] a = actual.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] e = expected.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]))) {
                fail("index " + i + ": actual " + a[i] + " vs expected " + e[i] + " (rtol " + rtol + ", atol " + atol
                        + ")");
            }
        }
    }

    /** A TrainableGraph over any configuration, for tests of the abstraction and of single layers. */
    public static TrainableGraph graph(ComputationGraphConfiguration conf) {
        return new TrainableGraph(conf, null, null);
    }

    /**
     * Checks input and parameter gradients of {@code net} at {@code x} by central differences on
     * L = sum(w * output) with a fixed random w. Relative error |a-n|/(|a|+|n|) must be <= maxRel unless
     * |a-n| <= absFloor. Checks every element up to {@code maxChecks} per kind (evenly strided beyond that).
     */
    public static void checkGradients(TrainableGraph net, INDArray x, long seed, int maxChecks) {
        Nd4j.getRandom().setSeed(seed);
        INDArray out = net.forward(x, true);
        INDArray w = Nd4j.rand(DataType.DOUBLE, out.shape()).subi(0.5);
        TrainableGraph.Backward bw = net.backward(w);
        INDArray dx = bw.inputGradient();
        double eps = 1e-6;
        double maxRel = 1e-5;
        double absFloor = 1e-8; // central-difference round-off at h = 1e-6 for losses of order 1-10

        INDArray xd = x.castTo(DataType.DOUBLE).dup('c');
        long n = xd.length();
        long step = Math.max(1, n / maxChecks);
        for (long i = 0; i < n; i += step) {
            double orig = xd.getDouble(i);
            xd.putScalar(i, orig + eps);
            double lp = loss(net, xd, w);
            xd.putScalar(i, orig - eps);
            double lm = loss(net, xd, w);
            xd.putScalar(i, orig);
            compare("input[" + i + "]", dx.dup('c').getDouble(i), (lp - lm) / (2 * eps), maxRel, absFloor);
        }

        INDArray params = net.graph().params();
        long np = params.length();
        if (np == 0) {
            return;
        }
        INDArray flatGrad = bw.paramGradient().gradient();
        long pstep = Math.max(1, np / maxChecks);
        for (long i = 0; i < np; i += pstep) {
            double orig = params.getDouble(i);
            params.putScalar(i, orig + eps);
            double lp = loss(net, xd, w);
            params.putScalar(i, orig - eps);
            double lm = loss(net, xd, w);
            params.putScalar(i, orig);
            compare("param[" + i + "]", flatGrad.getDouble(i), (lp - lm) / (2 * eps), maxRel, absFloor);
        }
    }

    /**
     * Checks {@link FeatureExtractor#backward} at {@code x} by central differences on L = sum over taps of
     * sum(w_tap * activation_tap), about {@code checks} evenly strided input elements, step {@code h}, the same
     * error rule as {@link #checkGradients}.
     */
    public static void checkFeatureGradient(FeatureExtractor fe, INDArray x, java.util.Map<String, INDArray> w,
                                            double h, int checks) {
        INDArray dx = fe.backward(fe.forward(x), w).dup('c');
        INDArray xd = x.dup('c');
        for (long i = 0; i < xd.length(); i += Math.max(1, xd.length() / checks)) {
            double o = xd.getDouble(i);
            xd.putScalar(i, o + h);
            double lp = featureLoss(fe, xd, w);
            xd.putScalar(i, o - h);
            double lm = featureLoss(fe, xd, w);
            xd.putScalar(i, o);
            compare("input[" + i + "]", dx.getDouble(i), (lp - lm) / (2 * h), 1e-5, 1e-8);
        }
    }

    private static double featureLoss(FeatureExtractor fe, INDArray x, java.util.Map<String, INDArray> w) {
        Features f = fe.forward(x);
        double s = 0;
        for (java.util.Map.Entry<String, INDArray> e : w.entrySet()) {
            s += f.get(e.getKey()).mul(e.getValue()).sumNumber().doubleValue();
        }
        return s;
    }

    private static double loss(TrainableGraph net, INDArray x, INDArray w) {
        return net.output(x).castTo(DataType.DOUBLE).mul(w).sumNumber().doubleValue();
    }

    private static void compare(String what, double analytic, double numeric, double maxRel, double absFloor) {
        if (!Double.isFinite(analytic) || !Double.isFinite(numeric)) {
            fail(what + ": non-finite gradient, analytic " + analytic + " vs numeric " + numeric);
        }
        double diff = Math.abs(analytic - numeric);
        if (diff <= absFloor) {
            return;
        }
        double rel = diff / (Math.abs(analytic) + Math.abs(numeric));
        if (!(rel <= maxRel)) {
            fail(what + ": analytic " + analytic + " vs numeric " + numeric + " (relative error " + rel + ")");
        }
    }
}
