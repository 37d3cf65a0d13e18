package org.stylegan.io;

import java.io.IOException;

/**
 * A model or checkpoint file is not a valid {@link ModelArchive}: empty, truncated, corrupt, not a
 * style-gan archive, a missing manifest field, or an unsupported format version. The message names the
 * file and the problem.
 */
public class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public ModelFormatException(String message) {
        super(message);
    }

    /** Creates the exception with a cause. */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
