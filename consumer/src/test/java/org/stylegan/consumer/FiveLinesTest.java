package org.stylegan.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylegan.core.StyleModel;
import org.stylegan.core.internal.FastPath;

/** Runs the README's five lines on bundled images with nothing but the style-gan-core dependency. */
class FiveLinesTest {

    /** libnd4j in the jar of the classifier the README promises (linux-x86_64-onednn). */
    private static final String ONEDNN_NATIVES =
            "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn/libnd4jcpu.so";

    @Test
    void fiveLinesTrainStylizeAndSaveWithOneDnn(@TempDir Path dir) throws IOException {
        // Two content photos to train on, one style image, and a third photo the model never saw.
        Path images = Path.of(System.getProperty("stylegan.images"));
        Files.createDirectories(dir.resolve("photos"));
        Files.copy(images.resolve("content/cat.jpg"), dir.resolve("photos/cat.jpg"));
        Files.copy(images.resolve("content/rocket.jpg"), dir.resolve("photos/rocket.jpg"));
        Files.copy(images.resolve("style/swirls.jpg"), dir.resolve("style.jpg"));
        Files.copy(images.resolve("content/coffee.jpg"), dir.resolve("photo.jpg"));

        long start = System.nanoTime();
        FiveLines.run(dir);
        System.out.printf("Five lines ran in %.1f s%n", (System.nanoTime() - start) / 1e9);

        // The oneDNN natives came with style-gan-core (nd4j-native, classifier linux-x86_64-onednn), and
        // DL4J's oneDNN helpers are on (they need the class of style-gan-onednn-shim). FastPath is internal
        // API; a user would not call it, this test does to check what the consumer got.
        System.out.println("oneDNN in the natives: " + FastPath.nativeHasOneDnn()
                + ", oneDNN layer helpers active: " + FastPath.isOneDnnActive());
        URL natives = FiveLinesTest.class.getClassLoader().getResource(ONEDNN_NATIVES);
        System.out.println("natives: " + natives + "\nshim: " + codeSource("org.nd4j.nativeblas.Nd4jCpu"));
        assertNotNull(natives, "nd4j-native with classifier linux-x86_64-onednn on the class path");
        assertTrue(FastPath.nativeHasOneDnn(), "the loaded libnd4j was built with oneDNN");
        assertTrue(FastPath.isOneDnnActive(), "DL4J's oneDNN layer helpers active");
        assertTrue(codeSource("org.nd4j.nativeblas.Nd4jCpu").contains("style-gan-onednn-shim"), "shim jar");

        BufferedImage photo = ImageIO.read(dir.resolve("photo.jpg").toFile());
        BufferedImage stylized = ImageIO.read(dir.resolve("stylized.png").toFile());
        assertNotNull(stylized, "stylized.png written and readable");
        assertEquals(photo.getWidth(), stylized.getWidth(), "width");
        assertEquals(photo.getHeight(), stylized.getHeight(), "height");

        assertTrue(Files.size(dir.resolve("model.zip")) > 0, "model.zip written");
        BufferedImage again = StyleModel.load(dir.resolve("model.zip")).stylize(dir.resolve("photo.jpg"));
        assertEquals(photo.getWidth(), again.getWidth(), "width after load");
        assertEquals(photo.getHeight(), again.getHeight(), "height after load");
    }

    private static String codeSource(String className) {
        try {
            return Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toString();
        } catch (ClassNotFoundException e) {
            return "missing: " + className;
        }
    }
}
