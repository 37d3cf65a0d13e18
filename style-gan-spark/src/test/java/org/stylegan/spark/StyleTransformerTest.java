package org.stylegan.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylegan.core.StyleModel;
import org.stylegan.io.ImageReadException;
import org.stylegan.io.Images;

/** The Spark ML transformer: same pixels as StyleModel.stylize, errors per row, validated params. */
class StyleTransformerTest {
    @Test
    void transformGivesThePixelsOfStyleModelAndAReasonForEveryBrokenImage(@TempDir Path tmp) throws IOException {
        SparkSession spark = SparkFixtures.spark();
        Path in = SparkFixtures.inputFolder(tmp.resolve("in"));
        StyleTransformer t = new StyleTransformer().setModel(SparkFixtures.model().toString()).setStrength(0.7)
                .setPreserveColors(true).setMaxSize(56).setTile(32, 8);
        StyleModel.Options options = new StyleModel.Options(0.7, true, 56, 32, 8);
        Dataset<Row> photos = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .load(in.toString()).repartition(2);
        List<Row> rows = t.transform(photos).select("path", "stylized", "error").collectAsList();

        StyleModel model = StyleModel.load(SparkFixtures.model());
        int ok = 0;
        int failed = 0;
        for (Row r : rows) {
            Path file = Path.of(URI.create(r.getString(0)));
            BufferedImage expected;
            try {
                expected = model.stylize(Images.read(file), options);
            } catch (ImageReadException | IllegalArgumentException e) {
                expected = null;
            }
            if (expected == null) {
                assertThat(r.isNullAt(1)).as("output of %s", file).isTrue();
                assertThat(r.getString(2)).as("error of %s", file).isNotBlank();
                failed++;
            } else {
                assertThat(r.getString(2)).as("error of %s", file).isNull();
                BufferedImage actual = Images.read(new ByteArrayInputStream(r.<byte[]>getAs(1)));
                assertThat(SparkFixtures.pixels(actual)).as("pixels of %s", file)
                        .isEqualTo(SparkFixtures.pixels(expected));
                ok++;
            }
        }
        assertThat(ok).isGreaterThan(15);
        assertThat(failed).isGreaterThan(5); // binaryFile drops the zero-byte file; notes.txt fails: not an image
    }

    @Test
    void jpegOutputHasTheBytesOfImagesWriteJpeg(@TempDir Path tmp) throws IOException {
        SparkSession spark = SparkFixtures.spark();
        Path in = Files.createDirectories(tmp.resolve("in"));
        for (int i = 0; i < 3; i++) {
            Images.writePng(SparkFixtures.generated(40, 32, 20 + i), in.resolve("p" + i + ".png"));
        }
        StyleTransformer t = new StyleTransformer().setModel(SparkFixtures.model().toString())
                .setOutputFormat("JPG").setOutputCol("jpeg");
        List<Row> rows = t.transform(spark.read().format("binaryFile").load(in.toString())).select("path", "jpeg")
                .collectAsList();
        StyleModel model = StyleModel.load(SparkFixtures.model());
        assertThat(rows).hasSize(3);
        for (Row r : rows) {
            Path file = Path.of(URI.create(r.getString(0)));
            Path reference = tmp.resolve(file.getFileName() + ".jpg");
            Images.write(model.stylize(Images.read(file), StyleModel.Options.DEFAULT), reference); // what the CLI writes
            assertThat(r.<byte[]>getAs(1)).as("bytes of %s", file).isEqualTo(Files.readAllBytes(reference));
        }
    }

    @Test
    void paramsAreValidatedWithMessagesThatNameTheFix() {
        StyleTransformer t = new StyleTransformer();
        assertThatThrownBy(() -> t.setStrength(2)).hasMessage("strength must be in [0, 1], found 2.0");
        assertThat(t.getOrDefault(t.strength())).isEqualTo(1.0); // the bad value is not kept
        assertThatThrownBy(() -> t.setTile(30, 8)).hasMessageContaining("multiple of 4 >= 32, found 30");
        assertThatThrownBy(() -> t.setMaxSize(-1)).hasMessageContaining("maxSize must be >= 0");
        assertThatThrownBy(() -> t.setBatchSize(0)).hasMessageContaining("batchSize must be >= 1");
        assertThatThrownBy(() -> t.setOutputFormat("gif")).hasMessage("format must be png or jpg, found 'gif'");
        assertThatThrownBy(() -> t.setModel(" ")).hasMessageContaining("model must be the path or URI");

        StructType files = new StructType().add("path", DataTypes.StringType).add("content", DataTypes.BinaryType);
        assertThatThrownBy(() -> t.transformSchema(files)).hasMessageContaining("model must be set");
        t.setModel("model.zip");
        assertThat(t.transformSchema(files).fieldNames()).containsExactly("path", "content", "stylized", "error");
        assertThatThrownBy(() -> t.transformSchema(new StructType().add("content", DataTypes.StringType)))
                .hasMessage("inputCol 'content' must be binary (encoded image bytes), found string");
        assertThatThrownBy(() -> t.transformSchema(new StructType().add("image", DataTypes.BinaryType)))
                .hasMessageContaining("inputCol 'content' is not a column").hasMessageContaining("binaryFile");
        assertThatThrownBy(() -> t.transformSchema(files.add("error", DataTypes.StringType)))
                .hasMessageContaining("errorCol 'error' already exists in the input; choose another name with "
                        + "setErrorCol");

        StyleTransformer copy = t.setStrength(0.5).copy(ParamMap.empty());
        assertThat(copy.uid()).isEqualTo(t.uid());
        assertThat(copy.settings()).isEqualTo(t.settings());
        assertThat(copy.settings().options()).isEqualTo(new StyleModel.Options(0.5, false, 0, 0, 32));
        assertThat(t.explainParams()).contains("strength", "preserveColors", "maxSize", "tile", "outputFormat");
    }
}
