package org.stylegan.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.stylegan.core.StyleModel;

/** The job's command line and naming rules, without Spark. */
class JobConfigTest {
    @Test
    void parsesEveryOption() {
        JobConfig c = JobConfig.parse("--model", "m.zip", "--input", "in/*.jpg", "--output", "out", "--format", "jpg",
                "--strength", "0.5", "--preserve-colors", "--max-size", "1024", "--tile", "256", "--batch-size", "2",
                "--partitions", "40");
        assertThat(c.input()).isEqualTo("in/*.jpg");
        assertThat(c.output()).isEqualTo("out");
        assertThat(c.partitions()).isEqualTo(40);
        assertThat(c.settings()).isEqualTo(new StylizeSettings("m.zip", 0.5, true, 1024, 256, 32, OutputFormat.JPG, 2));
        assertThat(c.settings().options()).isEqualTo(new StyleModel.Options(0.5, true, 1024, 256, 32));
        // The CLI's overlap for small tiles: a quarter of the tile.
        assertThat(JobConfig.parse("--model", "m", "--input", "i", "--output", "o", "--tile", "64").settings()
                .tileOverlap()).isEqualTo(16);
        // Defaults: the CLI's (no tiling, so no overlap), PNG, one image at a time.
        assertThat(JobConfig.parse("--model", "m", "--input", "i", "--output", "o").settings())
                .isEqualTo(new StylizeSettings("m", 1, false, 0, 0, 0, OutputFormat.PNG, 1));
        assertThat(JobConfig.parse("--help")).isNull();
    }

    @Test
    void badCommandLinesSayWhatToFix() {
        assertThatThrownBy(() -> JobConfig.parse("--input", "i", "--output", "o"))
                .hasMessageContaining("--model is required");
        assertThatThrownBy(() -> JobConfig.parse("--model", "m", "--output", "o"))
                .hasMessageContaining("--input is required");
        assertThatThrownBy(() -> JobConfig.parse("--model", "m", "--input", "i"))
                .hasMessageContaining("--output is required");
        assertThatThrownBy(() -> JobConfig.parse("--model", "m", "--input", "i", "--output", "o", "--colour"))
                .hasMessage("unknown option '--colour'; see --help");
        assertThatThrownBy(() -> JobConfig.parse("--model", "--input", "i"))
                .hasMessage("--model needs a value; see --help");
        assertThatThrownBy(() -> JobConfig.parse("--model", "m", "--input", "i", "--output", "o", "--strength", "x"))
                .hasMessage("--strength must be a number, found 'x'");
        assertThatThrownBy(() -> JobConfig.parse("--model", "m", "--input", "i", "--output", "o", "--strength", "2"))
                .hasMessage("--strength must be in [0, 1], found 2.0");
        assertThatThrownBy(() -> JobConfig.parse("--model", "m", "--input", "i", "--output", "o", "--tile", "30"))
                .hasMessage("--tile must be 0 (off) or a multiple of 4 >= 32, found 30");
        assertThatThrownBy(() -> JobConfig.parse("--model", "m", "--input", "i", "--output", "o", "--format", "gif"))
                .hasMessage("format must be png or jpg, found 'gif'");
        assertThatThrownBy(() -> JobConfig.parse("--model", "m", "--input", "i", "--output", "o", "--batch-size",
                "0")).hasMessage("--batch-size must be >= 1 (1 = no batching), found 0");
        assertThatThrownBy(() -> JobConfig.parse("--model", "m", "--input", "i", "--output", "o", "--partitions",
                "-1")).hasMessage("--partitions must be >= 0 (0 = three per core), found -1");
    }

    @Test
    void outputNamesKeepTheInputExtensionSoNoTwoInputsCollide() {
        String base = "file:/data/photos";
        assertThat(StylizeJob.outputName("file:/data/photos/a/cat.jpg", base, OutputFormat.PNG))
                .isEqualTo("a/cat.jpg.png");
        assertThat(StylizeJob.outputName("file:/data/photos/a/cat.png", base, OutputFormat.PNG))
                .isEqualTo("a/cat.png.png");
        assertThat(StylizeJob.outputName("file:/data/photos/cat.JPEG", base, OutputFormat.JPG))
                .isEqualTo("cat.JPEG.jpg");
        assertThat(StylizeJob.isImage("file:/x/a.JPG")).isTrue();
        assertThat(StylizeJob.isImage("file:/x/notes.txt")).isFalse();
        assertThat(StylizeJob.isImage("file:/x/.jpg")).isFalse();
    }
}
