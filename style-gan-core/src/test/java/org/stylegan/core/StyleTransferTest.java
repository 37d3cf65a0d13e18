package org.stylegan.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.train.TrainFixtures;
import org.stylegan.core.train.TrainerConfig;
import org.stylegan.io.Images;

class StyleTransferTest {
    @TempDir
    Path tmp;

    private static StyleTransfer tiny(int steps) {
        return StyleTransfer.builder().config(TrainFixtures.tiny().steps(steps).build()).build();
    }

    @Test
    void fitFromFolderSaveLoadStylizeRoundTrip() throws Exception {
        Path content = Files.createDirectories(tmp.resolve("content"));
        TrainFixtures.writeContent(content, 3, 40);
        Path style = tmp.resolve("style.png");
        Images.writePng(TrainFixtures.styleImage(48), style);

        StyleModel model = tiny(3).fit(content, style);
        assertThat(model.history().size()).isEqualTo(3);
        assertThat(model.sample()).isNotNull();

        BufferedImage photo = TrainFixtures.contentImages(1, 37).get(0); // odd size: padded and cropped back
        BufferedImage out = model.stylize(photo);
        assertThat(out.getWidth()).isEqualTo(37);
        assertThat(out.getHeight()).isEqualTo(37);

        Path file = tmp.resolve("model.zip");
        model.save(file);
        StyleModel loaded = StyleModel.load(file);
        INDArray x = Images.toTensor(photo);
        TestSupport.assertAllClose(loaded.stylize(x), model.stylize(x), 1e-5, 1e-6);
        assertThat(loaded.history().size()).isEqualTo(3);
        assertThat(loaded.config()).isEqualTo(model.config());
        assertThat(loaded.balanceScales()).isEqualTo(model.balanceScales());
    }

    @Test
    void builderRejectsBadValues() {
        assertThatThrownBy(() -> StyleTransfer.builder().beta(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("beta must be finite and >= 0, found -1");
        assertThatThrownBy(() -> StyleTransfer.builder().imageSize(30).build())
                .hasMessageContaining("imageSize must be a multiple of 4");
        assertThatThrownBy(() -> StyleTransfer.builder().lrGenerator(0).build())
                .hasMessageContaining("lrGenerator must be finite and > 0");
        assertThatThrownBy(() -> StyleTransfer.builder().steps(0).build()).hasMessageContaining("steps must be >= 1");
        assertThatThrownBy(() -> StyleTransfer.builder().labelSmoothing(1).build())
                .hasMessageContaining("labelSmoothing must be in [0, 1)");
        assertThatThrownBy(() -> StyleTransfer.builder().styleTaps("relu9_9").build())
                .hasMessageContaining("unknown feature tap 'relu9_9'");
        assertThatThrownBy(() -> StyleTransfer.builder().betasGenerator(0.5, 1.0).build())
                .hasMessageContaining("betasGenerator must both be in [0, 1)");
        assertThatThrownBy(() -> StyleTransfer.builder().lrDecayFrom(400).steps(300).build())
                .hasMessageContaining("lrDecayFrom must be -1 (off) or in 0..299");
        assertThatThrownBy(() -> StyleTransfer.builder().alpha(0).beta(0).gamma(0).tv(0).build())
                .hasMessageContaining("at least one of alpha, beta, gamma, tv must be > 0");
        assertThatThrownBy(() -> StyleTransfer.builder().discriminatorCrop(256).build())
                .hasMessageContaining("discriminatorCrop must be in 16..128");
    }

    @Test
    void badInputsGiveClearErrors() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path style = tmp.resolve("style.png");
        Images.writePng(TrainFixtures.styleImage(48), style);
        assertThatThrownBy(() -> tiny(1).fit(empty, style))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no images");
        Path content = Files.createDirectories(tmp.resolve("content"));
        TrainFixtures.writeContent(content, 1, 40);
        assertThatThrownBy(() -> tiny(1).fit(content, tmp.resolve("missing.png")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("style image not found");
        assertThatThrownBy(() -> tiny(1).fit(content))
                .hasMessageContaining("at least one style image is required");
        assertThatThrownBy(() -> tiny(1).fit(List.of(), TrainFixtures.styleImage(32)))
                .hasMessageContaining("contentImages must not be empty");
    }

    @Test
    void timeLimitStopsFitAndTheModelRecordsTheStepsThatRan() {
        // A 1 ns budget is crossed by the first step: exactly one step runs, not the configured 50.
        StyleTransfer st = StyleTransfer.builder().config(TrainFixtures.tiny().steps(50).build())
                .timeLimit(java.time.Duration.ofNanos(1)).build();
        StyleModel model = st.fit(TrainFixtures.contentImages(2, 32), TrainFixtures.styleImage(32));
        assertThat(model.history().size()).isEqualTo(1);
        assertThat(model.config().steps()).isEqualTo(1);
        StyleModel full = tiny(2).fit(TrainFixtures.contentImages(2, 32), TrainFixtures.styleImage(32));
        assertThat(full.history().size()).isEqualTo(2);
        assertThatThrownBy(() -> StyleTransfer.builder().timeLimit(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeLimit must be positive (or null for none), found PT0S");
    }

    @Test
    void configJsonRoundTrip() {
        TrainerConfig c = TrainFixtures.tiny().gamma(0.3).lrDecayFrom(2).imagePoolSize(4).build();
        assertThat(TrainerConfig.fromJson(c.toJson())).isEqualTo(c);
    }

    @Test
    void stylizeOptionsStrengthZeroReturnsContent() throws Exception {
        StyleModel model = tiny(1).fit(TrainFixtures.contentImages(2, 32), TrainFixtures.styleImage(32));
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, 40, 44).muli(2).subi(1);
        INDArray same = model.stylize(x, StyleModel.Options.DEFAULT.withStrength(0));
        TestSupport.assertAllClose(same, x, 1e-5, 1e-6);
    }

    @Test
    void stylizeIsThreadSafeAndTilesBlend() throws Exception {
        StyleModel model = tiny(1).fit(TrainFixtures.contentImages(2, 32), TrainFixtures.styleImage(32));
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, 36, 40).muli(2).subi(1);
        INDArray expected = model.stylize(x);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<INDArray>> fs = new java.util.ArrayList<>();
            for (int i = 0; i < 24; i++) {
                fs.add(pool.submit(() -> model.stylize(x)));
            }
            for (java.util.concurrent.Future<INDArray> f : fs) {
                TestSupport.assertAllClose(f.get(), expected, 1e-6, 1e-6);
            }
        } finally {
            pool.shutdownNow();
        }
        INDArray big = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 3, 70, 90).muli(2).subi(1);
        INDArray tiled = model.stylize(big, StyleModel.Options.DEFAULT.withTiles(48, 8));
        assertThat(tiled.shape()).containsExactly(1, 3, 70, 90);
        assertThat(tiled.maxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
        INDArray gray = model.stylize(big, StyleModel.Options.DEFAULT.withPreserveColors(true).withMaxSize(45));
        assertThat(gray.shape()).containsExactly(1, 3, 35, 45);
    }

    @Test
    void listenersWriteLogsAndSamples() throws Exception {
        Path dir = tmp.resolve("logs");
        StyleTransfer.builder().config(TrainFixtures.tiny().steps(2).build())
                .listeners(org.stylegan.core.train.Listeners.csv(dir.resolve("l.csv")),
                        org.stylegan.core.train.Listeners.jsonLines(dir.resolve("l.jsonl")),
                        org.stylegan.core.train.Listeners.sampleGrid(dir, 1),
                        org.stylegan.core.train.Listeners.console(new java.io.PrintStream(
                                new java.io.ByteArrayOutputStream()), false, 1))
                .build().fit(TrainFixtures.contentImages(2, 32), TrainFixtures.styleImage(32));
        assertThat(Files.readAllLines(dir.resolve("l.csv"))).hasSize(3).first().asString().startsWith("step,total");
        assertThat(Files.readAllLines(dir.resolve("l.jsonl"))).hasSize(2);
        BufferedImage grid = Images.read(dir.resolve("sample-000002.png"));
        assertThat(grid.getWidth()).isEqualTo(96);
    }
}
