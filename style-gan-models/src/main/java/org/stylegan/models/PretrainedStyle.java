package org.stylegan.models;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.stylegan.core.StyleModel;
import org.stylegan.io.Images;
import org.stylegan.io.ModelFormatException;

/**
 * One style of a {@link StyleCatalog}: its manifest, images, model and checkpoint. Every file that is loaded is
 * checked against the SHA-256 its manifest records first, so a damaged or partly replaced entry is refused rather
 * than stylizing with the wrong weights. Thread-safe.
 */
public final class PretrainedStyle {
    private final StyleCatalog catalog;
    private final StyleManifest manifest;
    private Path checkpoint;   // guarded by this

    PretrainedStyle(StyleCatalog catalog, StyleManifest manifest) {
        this.catalog = catalog;
        this.manifest = manifest;
    }

    /** The style's name (its folder in the catalog). */
    public String name() {
        return manifest.name();
    }

    /** The manifest: description, recipe, figures, checksums. */
    public StyleManifest manifest() {
        return manifest;
    }

    /** The catalog the style belongs to. */
    public StyleCatalog catalog() {
        return catalog;
    }

    /** The catalog's thumbnail photo stylized by this style's model (checksum checked). */
    public BufferedImage thumbnail() throws IOException {
        return Images.read(new ByteArrayInputStream(verifiedBytes(StyleCatalog.THUMBNAIL_FILE)));
    }

    /** The style image the model was trained on (checksum checked). */
    public BufferedImage styleImage() throws IOException {
        return Images.read(new ByteArrayInputStream(verifiedBytes(StyleCatalog.STYLE_IMAGE_FILE)));
    }

    /**
     * Loads the model, after checking its SHA-256 against the manifest.
     *
     * @throws ModelFormatException naming the style and "damaged" when the file is missing or its checksum differs
     */
    public StyleModel load() throws IOException {
        String file = StyleCatalog.MODEL_FILE;
        Path direct = catalog.source().file(path(file));
        if (direct != null) {
            check(file, Checksums.sha256(direct));
            return StyleModel.load(direct);
        }
        byte[] bytes = verifiedBytes(file);
        Path tmp = Files.createTempFile("style-gan-" + name() + "-model-", ".sgm");
        try {
            Files.write(tmp, bytes);
            return StyleModel.load(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The training checkpoint (generator, every discriminator, optimizer state) as a file, for
     * {@code StyleTransfer.builder().initFrom(path)}: the catalog's own file for a folder catalog, else a copy in a
     * temporary file that is made once per JVM and deleted on exit. Its checksum is checked the first time.
     *
     * @throws ModelFormatException naming the style and "damaged" when the file is missing or its checksum differs
     */
    public synchronized Path checkpoint() throws IOException {
        if (checkpoint != null) {
            return checkpoint;
        }
        String file = StyleCatalog.CHECKPOINT_FILE;
        Path direct = catalog.source().file(path(file));
        if (direct != null) {
            check(file, Checksums.sha256(direct));
            checkpoint = direct;
            return checkpoint;
        }
        byte[] bytes = verifiedBytes(file);
        Path tmp = Files.createTempFile("style-gan-" + name() + "-checkpoint-", ".sgm");
        tmp.toFile().deleteOnExit();
        Files.write(tmp, bytes);
        checkpoint = tmp;
        return checkpoint;
    }

    /**
     * Checks every file of the entry against the manifest's SHA-256.
     *
     * @throws ModelFormatException naming the style, the file and "damaged" at the first mismatch or missing file
     */
    public void verify() throws IOException {
        for (String f : StyleManifest.FILES) {
            verifiedBytes(f);
        }
    }

    @Override
    public String toString() {
        return "PretrainedStyle[" + name() + ", " + catalog.location() + "]";
    }

    // ------------------------------------------------------------------------------------------ files

    private String path(String file) {
        return name() + "/" + file;
    }

    private byte[] verifiedBytes(String file) throws IOException {
        byte[] bytes;
        try (InputStream in = catalog.source().open(path(file))) {
            if (in == null) {
                throw damaged(file, "it is missing");
            }
            bytes = in.readAllBytes();
        }
        check(file, Checksums.sha256(bytes));
        return bytes;
    }

    private void check(String file, String actual) throws ModelFormatException {
        String expected = manifest.sha256(file);
        if (!expected.equals(actual)) {
            throw damaged(file, "its SHA-256 is " + actual + ", the manifest records " + expected);
        }
    }

    private ModelFormatException damaged(String file, String why) {
        String fix = catalog.source().editable()
                ? "rebuild the entry with StylePackager (style-gan-models/retrain.sh " + name() + ")"
                : "reinstall style-gan-models (the jar is damaged or was modified)";
        return new ModelFormatException("pretrained style '" + name() + "' is damaged: " + path(file) + " in "
                + catalog.location() + ": " + why + "; " + fix);
    }
}
