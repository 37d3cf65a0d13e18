package org.stylegan.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;

/**
 * An {@link OutputStore} on a Hadoop file system: a local folder ({@code file:}), HDFS, or an object store through
 * its Hadoop connector. A write goes to a temporary file under {@code <output>/_tmp/<task attempt>/} first and is
 * then renamed to its name, so a killed or retried task never leaves a partial image under an image's name; the job
 * removes {@code _tmp} when it ends. Folders whose name starts with {@code _} are hidden from Spark and Hadoop
 * readers, and so is {@code _tmp}.
 */
public final class HadoopOutputStore implements OutputStore {
    private static final long serialVersionUID = 1L;
    /** Temporary files of running tasks, under the output folder. */
    public static final String TEMP_DIR = "_tmp";

    private final String root;
    private final Map<String, String> hadoopConf;
    private transient FileSystem fs;

    /**
     * Creates a store under {@code root}.
     *
     * @param root       the output folder as a qualified URI ({@code file:/data/out}, {@code hdfs://nn/out})
     * @param hadoopConf the Hadoop settings of the driver (so executors see e.g. {@code spark.hadoop.fs.s3a.*})
     */
    public HadoopOutputStore(String root, Map<String, String> hadoopConf) {
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        this.hadoopConf = Map.copyOf(hadoopConf);
    }

    @Override
    public boolean exists(String name) throws IOException {
        return fs().exists(path(name));
    }

    @Override
    public boolean write(String name, byte[] bytes) throws IOException {
        Path target = path(name);
        Path tmp = new Path(root + "/" + TEMP_DIR + "/" + attempt() + "/" + UUID.randomUUID() + ".tmp");
        FileSystem f = fs();
        boolean moved = false;
        try {
            try (OutputStream out = f.create(tmp, false)) {
                out.write(bytes);
            }
            f.mkdirs(target.getParent());
            moved = f.rename(tmp, target);
            if (!moved && !f.exists(target)) {
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
            return moved;
        } finally {
            if (!moved) {
                f.delete(tmp, false);
            }
        }
    }

    @Override
    public String location(String name) {
        return path(name).toString();
    }

    /** Removes the temporary folder: call only when no task of a job on this output runs. */
    public void deleteTemporaryFiles() throws IOException {
        fs().delete(new Path(root + "/" + TEMP_DIR), true);
    }

    private Path path(String name) {
        return new Path(root + "/" + name);
    }

    private static String attempt() {
        TaskContext tc = TaskContext.get();
        return tc == null ? "driver" : "attempt-" + tc.taskAttemptId();
    }

    private synchronized FileSystem fs() throws IOException {
        if (fs == null) {
            Configuration conf = new Configuration();
            hadoopConf.forEach(conf::set);
            URI uri = URI.create(root);
            FileSystem f = FileSystem.get(uri, conf);
            // The plain local file system: Hadoop's default one writes a .crc file beside every image.
            fs = f instanceof org.apache.hadoop.fs.LocalFileSystem local ? local.getRaw() : f;
        }
        return fs;
    }
}
