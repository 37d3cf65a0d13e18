package org.stylegan.spark;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The encoding of stylized images: lossless PNG or JPEG at quality 0.92, the same writers and settings as
 * {@code Images.write} in style-gan-io, so a file written by the job equals one written by the CLI.
 */
public enum OutputFormat {
    /** Lossless PNG (the default): pixels are exactly those of {@code StyleModel.stylize}. */
    PNG("png"),
    /** Baseline RGB JPEG, quality 0.92. */
    JPG("jpg");

    /** JPEG quality of {@code Images.write}, kept equal so both paths give the same bytes. */
    static final float JPEG_QUALITY = 0.92f;

    private final String extension;

    OutputFormat(String extension) {
        this.extension = extension;
    }

    /** Returns the file extension, without the dot. */
    public String extension() {
        return extension;
    }

    /**
     * Parses {@code png}, {@code jpg} or {@code jpeg} (any case).
     *
     * @throws IllegalArgumentException for anything else, naming the value and the choices
     */
    public static OutputFormat parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "png" -> PNG;
            case "jpg", "jpeg" -> JPG;
            default -> throw new IllegalArgumentException("format must be png or jpg, found '" + name + "'");
        };
    }

    /** Encodes a {@code TYPE_INT_RGB} image into a new byte array (in memory: no ImageIO disk cache). */
    public byte[] encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight() + 1024);
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(this == PNG ? "png" : "jpeg");
        if (!writers.hasNext()) {
            throw new IllegalStateException("no " + this + " writer available in this JVM");
        }
        ImageWriter writer = writers.next();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            if (this == PNG) {
                writer.write(image);
            } else {
                ImageWriteParam param = writer.getDefaultWriteParam();
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(JPEG_QUALITY);
                writer.write(null, new IIOImage(image, null, null), param);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a " + image.getWidth() + "x" + image.getHeight()
                    + " image as " + this + ": " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
