package org.stylegan.io;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Atomic file writes: the content goes to a temporary file in the target's folder, is flushed and
 * fsynced, then renamed over the target in one step. Readers see either the old file or the complete
 * new one; a write that fails or is interrupted leaves the old file untouched and removes its temporary
 * file.
 */
public final class AtomicFiles {
    /** Temporary files are named {@code .<target name>.<random>.tmp} in the target's folder. */
    static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically with the bytes that {@code writer} puts into the stream.
     * The stream must not be closed by the writer (closing it is harmless: it is ignored). The target's
     * parent folder is created if missing.
     *
     * @throws IOException whatever the writer or the file system throws; the target is then unchanged
     */
    public static void write(Path target, IOConsumer<OutputStream> writer) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(writer, "writer");
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        if (Files.isDirectory(absolute)) {
            throw new IOException("cannot write " + absolute + ": it is a folder");
        }
        Path tmp = createTemp(dir, absolute.getFileName().toString());
        boolean done = false;
        try {
            try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
                 BufferedOutputStream bos = new BufferedOutputStream(fos, 1 << 16)) {
                writer.accept(new NonClosing(bos));
                bos.flush();
                fos.getFD().sync();
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // Some file systems (e.g. some network mounts) cannot rename atomically; still better than
                // writing in place.
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            syncDirectory(dir);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException suppressed) {
                    // The original failure matters more; the temporary file is named so it is recognisable.
                }
            }
        }
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        write(target, out -> out.write(bytes));
    }

    /**
     * Deletes temporary files that earlier writes of {@code target} left behind when their process was killed
     * mid-write ({@code .<target name>.<random>.tmp} beside it). Call it only while no other process is writing
     * {@code target}, e.g. when a trainer that owns its checkpoint file starts.
     *
     * @return how many files were deleted
     */
    public static int deleteStaleTemps(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        String prefix = "." + absolute.getFileName() + ".";
        int deleted = 0;
        try (java.nio.file.DirectoryStream<Path> stale = Files.newDirectoryStream(dir,
                p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(TEMP_SUFFIX))) {
            for (Path p : stale) {
                if (Files.deleteIfExists(p)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private static Path createTemp(Path dir, String name) throws IOException {
        // Not Files.createTempFile: it creates mode 0600 files, and the renamed result would keep that.
        for (int attempt = 0; ; attempt++) {
            Path tmp = dir.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                    + TEMP_SUFFIX);
            try {
                Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
    }

    private static void syncDirectory(Path dir) {
        // Makes the rename itself durable on POSIX; not possible on every platform, hence best effort.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException ignored) {
            // Windows cannot open folders as channels; the rename is still atomic there.
        }
    }

    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
