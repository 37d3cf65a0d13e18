package org.stylegan.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;

/**
 * Coverage-guided fuzzing of the image-decoding entry point with Jazzer.
 *
 * <p>Invariant: {@link Images#read(java.io.InputStream, ImageReadOptions)} returns a valid {@code TYPE_INT_RGB}
 * image within the pixel limit or throws {@link ImageReadException}; any other throwable (a leaked
 * RuntimeException, an OutOfMemoryError) is a finding.
 *
 * <p>Without {@code JAZZER_FUZZ=1} this runs in regression mode: the seed corpus under
 * {@code src/test/resources/org/stylegan/io/ImagesFuzzTestInputs/} (valid PNG, JPEG, GIF, BMP, 16-bit, gray,
 * alpha, animated) plus any saved findings. The io module's {@code fuzz} surefire execution sets
 * {@code JAZZER_FUZZ=1} and fuzzes for {@code maxDuration}; see docs/reliability.md.
 */
class ImagesFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void imagesReadReturnsRgbOrRefuses(byte[] input) {
        BufferedImage img;
        try {
            img = Images.read(new ByteArrayInputStream(input), ImageMutationFuzzTest.OPTIONS);
        } catch (ImageReadException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("ImageReadException without a message", e);
            }
            return;
        }
        if (img == null || img.getType() != BufferedImage.TYPE_INT_RGB || img.getWidth() < 1 || img.getHeight() < 1
                || (long) img.getWidth() * img.getHeight() > ImageMutationFuzzTest.OPTIONS.maxPixels()) {
            throw new AssertionError("Images.read returned an invalid image: " + img);
        }
    }
}
