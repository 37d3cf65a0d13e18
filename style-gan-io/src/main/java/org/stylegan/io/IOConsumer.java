package org.stylegan.io;

import java.io.IOException;

/**
 * A consumer that may throw {@link IOException}, used by {@link AtomicFiles#write}.
 *
 * @param <T> the consumed type
 */
@FunctionalInterface
public interface IOConsumer<T> {
    /** Consumes the value. */
    void accept(T value) throws IOException;
}
