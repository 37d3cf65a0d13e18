package org.stylegan.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stylegan.examples.BundledImages.Kind;

class BundledImagesTest {

    @Test
    void indexListsEnoughContentAndStyleImages() {
        assertThat(BundledImages.content()).hasSizeGreaterThanOrEqualTo(4);
        assertThat(BundledImages.styles()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(BundledImages.all()).hasSize(BundledImages.content().size() + BundledImages.styles().size());
    }

    @Test
    void indexMatchesTheResourceFoldersExactly() throws IOException, URISyntaxException {
        // In the build, resources are a plain folder, so the index can be compared with a listing.
        URL root = BundledImages.class.getClassLoader().getResource(BundledImages.ROOT + "index.txt");
        assertThat(root).isNotNull();
        assertThat(root.getProtocol()).isEqualTo("file");
        Path dir = Path.of(root.toURI()).getParent();
        for (Kind kind : Kind.values()) {
            List<String> onDisk;
            try (Stream<Path> files = Files.list(dir.resolve(kind.folder()))) {
                onDisk = files.map(p -> p.getFileName().toString()).sorted().toList();
            }
            List<String> indexed = BundledImages.list(kind).stream().map(BundledImages.Image::fileName).sorted()
                    .toList();
            assertThat(indexed).as("index.txt entries for %s/", kind.folder()).isEqualTo(onDisk);
        }
    }

    @Test
    void everyImageDecodesAsSmallIntRgbAndTheSetStaysUnder3MB() throws IOException {
        long totalBytes = 0;
        for (BundledImages.Image image : BundledImages.all()) {
            BufferedImage img = image.load();
            assertThat(img.getType()).as(image.resourcePath()).isEqualTo(BufferedImage.TYPE_INT_RGB);
            assertThat(Math.max(img.getWidth(), img.getHeight())).as(image.resourcePath()).isBetween(256, 512);
            try (var in = image.open()) {
                totalBytes += in.readAllBytes().length;
            }
        }
        assertThat(totalBytes).isLessThan(3L * 1024 * 1024);
    }

    @Test
    void lookupIsByStemIgnoringCaseAndExtension() {
        assertThat(BundledImages.get(Kind.CONTENT, "Cat").fileName()).isEqualTo("cat.jpg");
        assertThat(BundledImages.get(Kind.STYLE, "swirls.jpg").kind()).isEqualTo(Kind.STYLE);
    }

    @Test
    void unknownNameListsTheAvailableOnes() {
        assertThatThrownBy(() -> BundledImages.get(Kind.STYLE, "cat"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no bundled style image named 'cat'")
                .hasMessageContaining("swirls");
    }

    @Test
    void copiesAllImagesByteForByteIntoKindFolders(@TempDir Path tmp) throws IOException {
        List<Path> written = BundledImages.copyAllTo(tmp);
        assertThat(written).hasSize(BundledImages.all().size());
        for (int i = 0; i < written.size(); i++) {
            BundledImages.Image image = BundledImages.all().get(i);
            Path file = written.get(i);
            assertThat(file).isEqualTo(tmp.resolve(image.kind().folder()).resolve(image.fileName()));
            try (var in = image.open()) {
                assertThat(Files.readAllBytes(file)).isEqualTo(in.readAllBytes());
            }
            assertThat(ImageIO.read(file.toFile())).isNotNull();
        }
        try (Stream<Path> left = Files.walk(tmp)) {
            assertThat(left.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void copiesOneKindFlat(@TempDir Path tmp) throws IOException {
        List<Path> written = BundledImages.copyTo(Kind.CONTENT, tmp.resolve("train"));
        assertThat(written).hasSize(BundledImages.content().size()).allMatch(p -> p.getParent().endsWith("train"));
    }

    @Test
    void parseIndexRejectsMalformedLines() {
        assertThat(BundledImages.parseIndex(List.of("# comment", "", " content/a.jpg ", "style/b.png")))
                .extracting(BundledImages.Image::name).containsExactly("a", "b");
        assertThatThrownBy(() -> BundledImages.parseIndex(List.of("a.jpg")))
                .hasMessageContaining("line 1 must be 'folder/file'");
        assertThatThrownBy(() -> BundledImages.parseIndex(List.of("paintings/a.jpg")))
                .hasMessageContaining("unknown folder 'paintings'");
        assertThatThrownBy(() -> BundledImages.parseIndex(List.of("style/a.jpg", "style/a.png")))
                .hasMessageContaining("repeats the style name 'a'");
    }
}
