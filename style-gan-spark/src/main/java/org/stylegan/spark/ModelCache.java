package org.stylegan.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkFiles;
import org.stylegan.core.StyleModel;

/**
 * The models of this JVM, loaded once each: every task of an executor shares one {@link StyleModel} (its generator
 * pool then hands each task thread its own generator copy), instead of loading the file per partition or per row.
 *
 * <p>A model is found as, in order: a local file at that path (a path every node sees, e.g. a shared mount); a file
 * of that name shipped with {@code spark-submit --files} ({@link SparkFiles}); a Hadoop URI ({@code hdfs://},
 * {@code s3a://}, ...), copied once to a local temporary file. Entries live as long as the JVM: a model file changed
 * under a running executor is not reloaded.
 */
public final class ModelCache {
    private static final ConcurrentMap<String, StyleModel> MODELS = new ConcurrentHashMap<>();

    private ModelCache() {
    }

    /**
     * Returns the model at {@code location}, loading it on the first call in this JVM (concurrent first calls wait for
     * one load).
     *
     * @throws IllegalArgumentException when no file is found there; the message says where it looked and the fix
     * @throws UncheckedIOException     when the file cannot be read or is not a style-gan model (damaged, truncated)
     */
    public static StyleModel get(String location) {
        return MODELS.computeIfAbsent(location, ModelCache::load);
    }

    private static StyleModel load(String location) {
        Path local = localCopy(location);
        try {
            return StyleModel.load(local);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the model " + location + ": " + e.getMessage(), e);
        }
    }

    private static Path localCopy(String location) {
        URI uri = uri(location);
        String scheme = uri == null ? null : uri.getScheme();
        if (scheme != null && scheme.length() > 1 && !scheme.equalsIgnoreCase("file")) {
            return download(uri);
        }
        Path p = scheme == null ? Path.of(location) : Path.of(uri);
        if (Files.isRegularFile(p)) {
            return p;
        }
        Path shipped = shipped(p.getFileName() == null ? location : p.getFileName().toString());
        if (shipped != null) {
            return shipped;
        }
        throw new IllegalArgumentException("model file not found: " + p.toAbsolutePath() + " (on host "
                + host() + "); give a path that every node sees, ship the file with spark-submit --files and pass "
                + "its name, or use an hdfs:// (or other Hadoop) URI");
    }

    private static URI uri(String location) {
        try {
            return new URI(location);
        } catch (URISyntaxException e) {
            return null; // a plain local path with characters a URI does not allow
        }
    }

    /** A file shipped with {@code --files}, or null (also null outside a Spark application). */
    private static Path shipped(String name) {
        try {
            Path p = Path.of(SparkFiles.get(name));
            return Files.isRegularFile(p) ? p : null;
        } catch (RuntimeException e) {
            return null; // no SparkEnv in this JVM
        }
    }

    private static Path download(URI uri) {
        try {
            FileSystem fs = FileSystem.get(uri, new Configuration());
            Path tmp = Files.createTempFile("style-gan-model-", ".zip");
            tmp.toFile().deleteOnExit();
            fs.copyToLocalFile(false, new org.apache.hadoop.fs.Path(uri), new org.apache.hadoop.fs.Path(tmp.toUri()),
                    true);
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the model " + uri + " to this host (" + host() + "): "
                    + e.getMessage(), e);
        }
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            return "unknown";
        }
    }
}
