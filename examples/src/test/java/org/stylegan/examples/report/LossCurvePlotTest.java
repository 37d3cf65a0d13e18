package org.stylegan.examples.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCurvePlotTest {

    private static final long[] STEPS = {0, 10, 20, 30, 40};

    private static Map<String, double[]> series() {
        Map<String, double[]> m = new LinkedHashMap<>();
        m.put("content", new double[] {4, 3, 2.5, 2, 1.8});
        m.put("style", new double[] {400, 120, 60, 30, 20});
        m.put("tv", new double[] {0, 1e-4, 2e-4, Double.NaN, 1e-4});
        return m;
    }

    @Test
    void writesADecodablePngOfTheRequestedSizeWithColouredLines(@TempDir Path tmp) throws IOException {
        Path png = tmp.resolve("curves/loss.png");
        LossCurvePlot.builder().width(640).height(360).build().write(png, List.of("content", "style", "tv"), STEPS,
                series());
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img).isNotNull();
        assertThat(img.getWidth()).isEqualTo(640);
        assertThat(img.getHeight()).isEqualTo(360);
        // tab10 blue (content) and orange (style) must appear: the lines were drawn, not just axes.
        assertThat(countNear(img, 0x1f77b4)).isGreaterThan(20);
        assertThat(countNear(img, 0xff7f0e)).isGreaterThan(20);
    }

    @Test
    void linearAxisWithSmoothingAndDownsamplingRenders() {
        int n = 5000;
        long[] steps = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            steps[i] = i;
            v[i] = Math.sin(i * 0.01) - 0.5; // negative values are fine on a linear axis
        }
        BufferedImage img = LossCurvePlot.builder().logY(false).smoothing(0.9).maxPoints(100).build()
                .render(steps, Map.of("d_loss", v));
        assertThat(countNear(img, 0x1f77b4)).isGreaterThan(20);
    }

    @Test
    void logAxisWithNothingPositiveExplainsTheFix() {
        assertThatThrownBy(() -> LossCurvePlot.builder().build()
                .render(new long[] {1, 2}, Map.of("g", new double[] {0, -1})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use logY(false)");
    }

    @Test
    void rejectsMisalignedOrMissingSeries() {
        LossCurvePlot plot = LossCurvePlot.builder().build();
        assertThatThrownBy(() -> plot.render(List.of("content"), new long[] {1, 2}, series()))
                .hasMessageContaining("series 'content' must have one value per step (2), found 5");
        assertThatThrownBy(() -> plot.render(List.of("gan"), STEPS, series()))
                .hasMessageContaining("no values for 'gan'");
        assertThatThrownBy(() -> plot.render(List.of("content"), new long[0], series()))
                .hasMessageContaining("steps must hold at least one step");
    }

    @Test
    void builderValidates() {
        assertThatThrownBy(() -> LossCurvePlot.builder().smoothing(1.0).build())
                .hasMessage("smoothing must be in [0, 1), found 1.0");
        assertThatThrownBy(() -> LossCurvePlot.builder().width(10).build())
                .hasMessage("width must be in [200, 4000], found 10");
    }

    static int countNear(BufferedImage img, int rgb) {
        int count = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                int d = Math.abs(((p >> 16) & 255) - ((rgb >> 16) & 255)) + Math.abs(((p >> 8) & 255) - ((rgb >> 8) & 255))
                        + Math.abs((p & 255) - (rgb & 255));
                if (d < 30) {
                    count++;
                }
            }
        }
        return count;
    }
}
