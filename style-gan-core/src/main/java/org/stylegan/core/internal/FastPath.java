package org.stylegan.core.internal;

import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns on DL4J's oneDNN layer helpers, which 1.0.0-M2.1 leaves off.
 *
 * <p>Two things keep them off in M2.1: the system property {@value #HELPERS_DISABLE_PROPERTY} defaults to
 * {@code true} (read each time a layer creates its helper), and {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up
 * a class that M2.1 no longer ships ({@code org.nd4j.nativeblas.Nd4jCpu$Environment}); the style-gan-onednn-shim jar,
 * a dependency of style-gan-core, provides that class ({@link org.nd4j.nativeblas.Nd4jCpu}), answering the
 * native backend's real oneDNN flag.
 * {@link #ensureEnabled()} sets the property to {@code false} unless the user set it explicitly; it must run before
 * any layer is instantiated, so every network builder in this library calls it.
 *
 * <p>With the helpers on, float32 convolutions, pooling and batch norm run in oneDNN (~15x faster for the default
 * generator). Double-precision layers still use the built-in path (the helpers only handle float32).
 */
public final class FastPath {
    /** DL4J's switch for all layer helpers (oneDNN, cuDNN); M2.1 treats a missing value as {@code true}. */
    public static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private static final Logger LOG = LoggerFactory.getLogger(FastPath.class);
    private static volatile boolean done;

    private FastPath() {
    }

    /**
     * Enables DL4J's oneDNN helpers for layers created from now on; idempotent and thread-safe.
     *
     * <p>An explicit {@code -Dorg.eclipse.deeplearning4j.helpers.disable=true} is respected (useful to compare
     * against the built-in path); then {@link #isOneDnnActive()} reports false.
     */
    public static void ensureEnabled() {
        if (done) {
            return;
        }
        synchronized (FastPath.class) {
            if (done) {
                return;
            }
            if (System.getProperty(HELPERS_DISABLE_PROPERTY) == null) {
                System.setProperty(HELPERS_DISABLE_PROPERTY, "false");
            }
            if (!isOneDnnActive()) {
                LOG.warn("oneDNN layer helpers are not active (native build has oneDNN: {}, {}={}): "
                                + "convolutions will be ~15x slower. Use an nd4j-native '-onednn' classifier.",
                        nativeHasOneDnn(), HELPERS_DISABLE_PROPERTY, System.getProperty(HELPERS_DISABLE_PROPERTY));
            }
            done = true;
        }
    }

    /**
     * Returns true when DL4J layers created now will use oneDNN: helpers are allowed, the native backend was
     * built with oneDNN and reports it enabled, and DL4J's own check ({@code BaseMKLDNNHelper.mklDnnEnabled()})
     * passes.
     */
    public static boolean isOneDnnActive() {
        boolean allowed = !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLE_PROPERTY, "true"));
        return allowed && Nd4j.getEnvironment().helpersAllowed() && nativeHasOneDnn()
                && BaseMKLDNNHelper.mklDnnEnabled();
    }

    /** Returns true when the loaded libnd4j was built with oneDNN (its build info says {@code HAVE_ONEDNN}). */
    public static boolean nativeHasOneDnn() {
        try {
            Nd4j.getExecutioner(); // loads the backend
            String info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
            return info != null && info.contains("HAVE_ONEDNN");
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
