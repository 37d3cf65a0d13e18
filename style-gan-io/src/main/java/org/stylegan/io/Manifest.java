package org.stylegan.io;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * The manifest of a {@link ModelArchive} ({@code manifest.json}): provenance and training position.
 *
 * @param formatVersion  the archive format version ({@link ModelArchive#FORMAT_VERSION} when written by this library)
 * @param libraryVersion the style-gan version that wrote the file
 * @param createdAt      when the file was written
 * @param kind           a trained model or a training checkpoint
 * @param configJson     the model/trainer configuration as a JSON document (stored as a string)
 * @param seed           the random seed of the run
 * @param step           the training step the file was written at (0 for an untrained model)
 * @param extra          free-form string properties (immutable copy)
 */
public record Manifest(int formatVersion, String libraryVersion, Instant createdAt, Kind kind, String configJson,
                       long seed, long step, Map<String, String> extra) {

    /** What an archive holds. */
    public enum Kind {
        /** A trained style model, ready for inference. */
        MODEL,
        /** A training checkpoint: networks with updater state, optimizer/RNG state entries. */
        CHECKPOINT
    }

    /** Validates the fields and copies {@code extra}. */
    public Manifest {
        Objects.requireNonNull(libraryVersion, "libraryVersion");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(configJson, "configJson");
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, found " + step);
        }
        extra = Map.copyOf(Objects.requireNonNull(extra, "extra"));
    }
}
