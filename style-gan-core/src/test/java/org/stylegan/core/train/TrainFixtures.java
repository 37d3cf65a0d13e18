package org.stylegan.core.train;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stylegan.core.net.DiscriminatorConfig;
import org.stylegan.core.net.GeneratorConfig;
import org.stylegan.core.net.Normalization;
import org.stylegan.core.net.Padding;
import org.stylegan.core.net.Upsampling;
import org.stylegan.io.Images;

/** Tiny synthetic images and configs for trainer tests (32 px, small nets). */
public final class TrainFixtures {
    private TrainFixtures() {
    }

    /** A tiny generator: base 8 filters, 1 residual block. */
    public static GeneratorConfig tinyGenerator() {
        return new GeneratorConfig(8, 2, 1, Normalization.INSTANCE, Padding.REFLECTION, Upsampling.NEAREST_CONV, 7);
    }

    /** A tiny PatchGAN: base 8 filters, 2 layers. */
    public static DiscriminatorConfig tinyDiscriminator() {
        return new DiscriminatorConfig(DiscriminatorConfig.Type.PATCH_GAN, 8, 2, Normalization.INSTANCE,
                DiscriminatorConfig.Output.PATCH, 0.2, 7);
    }

    /** A tiny config: 32 px, batch 2, tiny nets, style taps relu1_2/relu2_2. */
    public static TrainerConfig.Builder tiny() {
        return TrainerConfig.builder().imageSize(32).batchSize(2).styleSize(32).discriminatorCrop(32)
                .styleTaps("relu1_2", "relu2_2").contentTap("relu2_2")
                .generator(tinyGenerator()).discriminator(tinyDiscriminator()).steps(4);
    }

    /** Smooth photo-like content: gradients with a few shapes. */
    public static List<BufferedImage> contentImages(int n, int size) {
        List<BufferedImage> out = new ArrayList<>();
        Random r = new Random(3);
        for (int k = 0; k < n; k++) {
            BufferedImage im = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    im.setRGB(x, y, new Color((x * 255) / size, (y * 255) / size, (k * 60) % 256).getRGB());
                }
            }
            Graphics2D g = im.createGraphics();
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
            g.fillOval(size / 4, size / 4, size / 2, size / 3);
            g.dispose();
            out.add(im);
        }
        return out;
    }

    /** A high-contrast striped style image. */
    public static BufferedImage styleImage(int size) {
        BufferedImage im = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean s = ((x + y) / 3) % 2 == 0;
                im.setRGB(x, y, s ? new Color(230, 40, 20).getRGB() : new Color(20, 30, 200).getRGB());
            }
        }
        return im;
    }

    /** The style image as a tensor. */
    public static INDArray styleTensor(int size) {
        return Images.toTensor(styleImage(size));
    }

    /** Writes content images as PNGs into a folder. */
    public static Path writeContent(Path dir, int n, int size) throws IOException {
        List<BufferedImage> ims = contentImages(n, size);
        for (int i = 0; i < ims.size(); i++) {
            Images.writePng(ims.get(i), dir.resolve("c" + i + ".png"));
        }
        return dir;
    }
}
