package org.stylegan.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.stylegan.io.ImageOps;
import org.stylegan.io.Images;

/** Small copies of the bundled images for fast tests. */
public final class TestImages {
    private TestImages() {
    }

    /** Writes every bundled content photo, shorter side {@code size}, as PNG into {@code folder}. */
    public static Path contentFolder(Path folder, int size) throws IOException {
        Files.createDirectories(folder);
        for (BundledImages.Image im : BundledImages.content()) {
            Images.writePng(small(im.load(), size), folder.resolve(im.name() + ".png"));
        }
        return folder;
    }

    /** Writes a bundled style image, shorter side {@code size}, as PNG. */
    public static Path style(Path file, String name, int size) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Images.writePng(small(BundledImages.get(BundledImages.Kind.STYLE, name).load(), size), file);
        return file;
    }

    /** Returns the image with its shorter side resized to {@code size}. */
    public static BufferedImage small(BufferedImage image, int size) {
        return ImageOps.resizeShorterSide(image, size);
    }
}
