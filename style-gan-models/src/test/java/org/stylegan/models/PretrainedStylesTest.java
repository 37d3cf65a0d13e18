package org.stylegan.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylegan.core.StyleModel;
import org.stylegan.core.StyleTransfer;
import org.stylegan.io.ModelFormatException;
import org.stylegan.models.testing.Thumbnails;
import org.stylegan.models.testing.TinyStyles;

/** A catalog built by the packager from a tiny run: listing, loading, checksums, thumbnails, fine-tuning. */
class PretrainedStylesTest {
    @TempDir
    static Path tmp;
    static Path catalogDir;
    static StyleCatalog catalog;

    @BeforeAll
    static void buildCatalog() throws IOException {
        catalogDir = TinyStyles.catalog(tmp, "tiny", "tiny-two");
        catalog = PretrainedStyles.at(catalogDir);
    }

    @Test
    void listsGetsAndLoadsInGalleryOrder() throws IOException {
        assertThat(catalog.names()).containsExactly("tiny", "tiny-two");
        assertThat(catalog.styles()).extracting(PretrainedStyle::name).containsExactly("tiny", "tiny-two");
        assertThat(catalog.contains("Tiny")).isTrue();
        assertThat(catalog.get(" TINY ")).isSameAs(catalog.get("tiny"));
        StyleModel m = catalog.load("tiny");
        assertThat(m.generatorConfig()).isEqualTo(TinyStyles.config().build().generator());
        BufferedImage out = m.stylize(TinyStyles.photos(1, 40).get(0));
        assertThat(out.getWidth()).isEqualTo(40);
        assertThat(catalog.get("tiny").styleImage().getWidth()).isEqualTo(48);
        assertThat(catalog.location()).contains(catalogDir.toString());
    }

    @Test
    void manifestRecordsTheRunAndRoundTrips() throws IOException {
        StyleManifest m = catalog.get("tiny").manifest();
        assertThat(StyleManifest.fromJson(m.toJson(), "round trip")).isEqualTo(m);
        assertThat(m.title()).isEqualTo("Tiny tiny");
        assertThat(m.styleImage()).isEqualTo("stripes.png");
        assertThat(m.recipe().command()).startsWith("train", "--content", "photos");
        assertThat(m.recipe().preset()).isNull();
        assertThat(m.recipe().config().generator()).isEqualTo(TinyStyles.config().build().generator());
        assertThat(m.steps()).isEqualTo(2);
        assertThat(m.trainingSeconds()).isEqualTo(1.5);
        assertThat(m.score()).contains(0.25);
        assertThat(m.thumbnail()).isEqualTo(new StyleManifest.Thumbnail(StyleCatalog.THUMBNAIL_PHOTO,
                TinyStyles.THUMBNAIL_SIZE));
        assertThat(m.libraryVersion()).isNotBlank();
        for (String f : StyleManifest.FILES) {
            assertThat(m.sha256(f)).as(f).isEqualTo(Checksums.sha256(catalogDir.resolve("tiny").resolve(f)));
        }
        catalog.get("tiny").verify();
    }

    @Test
    void theModelReproducesItsThumbnail() throws IOException {
        for (PretrainedStyle s : catalog.styles()) {
            Thumbnails.assertReproduced(s);
        }
        BufferedImage t = catalog.get("tiny").thumbnail();
        assertThat(Math.max(t.getWidth(), t.getHeight())).isEqualTo(TinyStyles.THUMBNAIL_SIZE);
    }

    @Test
    void aTamperedModelIsRefusedAsDamaged() throws IOException {
        Path copy = tmp.resolve("tampered");
        copyTree(catalogDir, copy);
        Path model = copy.resolve("tiny/model.sgm");
        byte[] b = Files.readAllBytes(model);
        b[b.length / 2] ^= 1;
        Files.write(model, b);
        PretrainedStyle s = PretrainedStyles.at(copy).get("tiny");
        assertThatThrownBy(s::load).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("pretrained style 'tiny' is damaged").hasMessageContaining("tiny/model.sgm")
                .hasMessageContaining("StylePackager");
        assertThatThrownBy(s::verify).hasMessageContaining("damaged");
        Files.delete(copy.resolve("tiny/checkpoint.sgm"));
        assertThatThrownBy(s::checkpoint).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("damaged").hasMessageContaining("checkpoint.sgm").hasMessageContaining("missing");
        // The other entry is untouched and still loads.
        assertThat(PretrainedStyles.at(copy).load("tiny-two")).isNotNull();
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> catalog.get("monet")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no pretrained style named 'monet'")
                .hasMessageContaining("known styles: tiny, tiny-two").hasMessageContaining("style-gan styles");
        assertThatThrownBy(() -> PretrainedStyles.at(tmp.resolve("nowhere")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nowhere");
    }

    @Test
    void aBrokenManifestNamesTheFileAndTheField() throws IOException {
        Path copy = tmp.resolve("broken");
        copyTree(catalogDir, copy);
        Path manifest = copy.resolve("tiny-two/manifest.json");
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"machine\"", "\"machina\""));
        StyleCatalog c = PretrainedStyles.at(copy);
        assertThat(c.names()).containsExactly("tiny", "tiny-two");
        assertThat(c.get("tiny").name()).isEqualTo("tiny");
        assertThatThrownBy(() -> c.get("tiny-two")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tiny-two/manifest.json").hasMessageContaining("'machine'");
    }

    /**
     * The checkpoint starts a fine-tuning run from its networks (both discriminator levels too): with a negligible
     * learning rate, one step later the generator still paints what the shipped model paints.
     */
    @Test
    void theCheckpointStartsAFineTuningRun() throws IOException {
        Path checkpoint = catalog.get("tiny").checkpoint();
        assertThat(catalog.get("tiny").checkpoint()).isEqualTo(checkpoint);
        StyleModel tuned = StyleTransfer.builder()
                .config(TinyStyles.config().steps(1).batchSize(1).lrGenerator(1e-9).build())
                .initFrom(checkpoint).build().fit(TinyStyles.photos(2, 40), TinyStyles.styleImage(48));
        assertThat(tuned.generatorConfig()).isEqualTo(TinyStyles.config().build().generator());
        assertThat(tuned.history().size()).isEqualTo(1);
        BufferedImage photo = TinyStyles.photos(1, 40).get(0);
        Thumbnails.assertWithinOneLevel(tuned.stylize(photo), catalog.load("tiny").stylize(photo), "fine-tuned");
    }

    @Test
    void theClasspathCatalogReadsItsIndex() {
        // Zero or more shipped styles; ShippedStylesTest checks each one.
        assertThat(PretrainedStyles.names()).doesNotHaveDuplicates();
        assertThat(PretrainedStyles.catalog()).isSameAs(StyleCatalog.classpath());
        assertThat(PretrainedStyles.catalog().location()).contains(StyleCatalog.RESOURCE_ROOT);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
