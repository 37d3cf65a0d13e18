package org.stylegan.spark;

import java.io.IOException;
import java.io.Serializable;

/**
 * Where {@link StylizeJob} puts stylized images, by relative name ({@code sub/photo.jpg.png}). Implementations are
 * serializable (a copy travels with each task) and safe to use from several task threads.
 *
 * <p>The default is {@link HadoopOutputStore} (local folders, HDFS, S3 through Hadoop). Another store, e.g. one
 * that also registers each image in a catalogue, can wrap it.
 */
public interface OutputStore extends Serializable {
    /** Returns whether a complete image is stored under {@code name}: the job then skips that input. */
    boolean exists(String name) throws IOException;

    /**
     * Stores {@code bytes} under {@code name} atomically: readers see no file or the complete one, never a part,
     * whatever happens to the task. Returns false, writing nothing, when the name was stored meanwhile (e.g. by a
     * speculative copy of the task).
     */
    boolean write(String name, byte[] bytes) throws IOException;

    /** Returns the full location of {@code name}, as recorded in the manifest. */
    String location(String name);
}
