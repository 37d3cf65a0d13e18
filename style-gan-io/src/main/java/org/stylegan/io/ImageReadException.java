package org.stylegan.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An image could not be read: unsupported encoding, corrupt or truncated data, not an image, or over
 * the pixel limit. The message names the source (file or stream), the problem and the fix.
 */
public class ImageReadException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    /** Creates an exception for {@code file} (null for streams). */
    public ImageReadException(Path file, String message) {
        super(message);
        this.file = file;
    }

    /** Creates an exception for {@code file} (null for streams) with a cause. */
    public ImageReadException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file that could not be read, if the image came from a file. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }
}
