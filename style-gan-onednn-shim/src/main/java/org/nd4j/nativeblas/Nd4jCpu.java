package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Compatibility shim that lets DL4J 1.0.0-M2.1 find out whether oneDNN is enabled.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} looks up, by reflection,
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()}. In M2.1 the native bindings
 * moved to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} and the flag was renamed
 * {@code isUseONEDNN()}, so the lookup fails and every oneDNN layer helper stays off (convolutions then run
 * as Java im2col + gemm, ~15x slower). This class answers the old name with the real flag. It is not an ND4J
 * class: it ships alone in the artifact style-gan-onednn-shim, a compile dependency of style-gan-core (which turns
 * the helpers on in {@code org.stylegan.core.internal.FastPath}), so that no other jar of ours has a package split
 * with nd4j. Put it on the class path, not the module path.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The environment view looked up by DL4J's oneDNN helpers. */
    public static final class Environment {
        private static final String REAL = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";
        private static final Environment INSTANCE = new Environment();

        private volatile Object real;
        private volatile Method isUseOneDnn;

        private Environment() {
        }

        /** Returns the singleton, as the reflective caller expects. */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /**
         * Returns the native backend's oneDNN flag ({@code isUseONEDNN()}), or false when the CPU backend is
         * not on the class path.
         */
        public boolean isUseMKLDNN() {
            try {
                if (isUseOneDnn == null) {
                    Class<?> c = Class.forName(REAL, true, Environment.class.getClassLoader());
                    real = c.getMethod("getInstance").invoke(null);
                    isUseOneDnn = c.getMethod("isUseONEDNN");
                }
                return (Boolean) isUseOneDnn.invoke(real);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
