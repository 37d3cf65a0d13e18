package org.stylegan.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository's evaluation set is complete and licensed, and {@link EvaluationSet} finds sets and outputs. */
class EvaluationSetTest {
    /** Surefire runs in the module folder; the set is {@code evaluation/} at the repository root. */
    static final Path SET = Path.of("..", "evaluation");

    @Test
    void theRepositorySetHasEnoughStylesAndPhotosAndEveryFileHasALicenceRow() throws IOException {
        EvaluationSet set = EvaluationSet.load(SET);
        assertThat(set.styles()).hasSizeGreaterThanOrEqualTo(6);
        assertThat(set.photos()).hasSizeGreaterThanOrEqualTo(8);

        Set<String> rows = new TreeSet<>();
        for (String line : Files.readAllLines(SET.resolve("LICENSES.md"), StandardCharsets.UTF_8)) {
            String[] cells = line.split("\\|");
            // A table row: "| file | size | what | source | licence |", every cell filled in.
            if (cells.length >= 6 && (cells[1].trim().startsWith("styles/") || cells[1].trim().startsWith("photos/"))) {
                for (int i = 1; i <= 5; i++) {
                    assertThat(cells[i].trim()).as("cell %d of the row for %s", i, cells[1].trim()).isNotEmpty();
                }
                rows.add(cells[1].trim());
            }
        }
        Set<String> files = new TreeSet<>();
        for (Path p : concat(set.styles(), set.photos())) {
            files.add(SET.relativize(p).toString().replace('\\', '/'));
        }
        assertThat(rows).as("LICENSES.md rows").isEqualTo(files);
    }

    @Test
    void theSetIsSmallHeldOutAndReadable() throws IOException {
        EvaluationSet set = EvaluationSet.load(SET);
        long bytes;
        try (Stream<Path> s = Files.walk(SET)) {
            bytes = s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(bytes).as("bytes in evaluation/").isLessThan(3_000_000);
        for (Path p : set.photos()) {
            // The quick start trains on these three; they must never be in the held-out set.
            assertThat(EvaluationSet.stem(p)).isNotIn("astronaut", "coffee", "rocket");
        }
        for (Path p : concat(set.styles(), set.photos())) {
            BufferedImage img = ImageIO.read(p.toFile());
            assertThat(img).as("%s decodes", p).isNotNull();
            assertThat(Math.max(img.getWidth(), img.getHeight())).as("long side of %s", p).isBetween(256, 512);
        }
        assertThat(Files.readString(SET.resolve("README.md"))).contains("Nothing may be trained or tuned");
    }

    @Test
    void outputsAreFoundByStyleFolderAndPhotoStem(@TempDir Path tmp) throws IOException {
        Path style = Path.of("styles", "impasto.jpg");
        Path photo = Path.of("photos", "cat.jpg");
        assertThat(EvaluationSet.output(tmp, style, photo)).isEmpty();
        Files.createDirectories(tmp.resolve("impasto"));
        Files.write(tmp.resolve("impasto/cat.jpg"), new byte[] {1});
        assertThat(EvaluationSet.output(tmp, style, photo)).contains(tmp.resolve("impasto/cat.jpg"));
        Files.write(tmp.resolve("impasto/cat.png"), new byte[] {1});
        assertThat(EvaluationSet.output(tmp, style, photo)).contains(tmp.resolve("impasto/cat.png"));
        assertThat(EvaluationSet.stem(Path.of("a.b.jpg"))).isEqualTo("a.b");
        assertThat(EvaluationSet.isImage(Path.of("X.JPEG"))).isTrue();
        assertThat(EvaluationSet.isImage(Path.of("notes.md"))).isFalse();
    }

    @Test
    void aFolderWithoutStylesOrPhotosIsRejectedWithTheFix(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> EvaluationSet.load(tmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no styles/ folder");
        Files.createDirectories(tmp.resolve("styles"));
        Files.createDirectories(tmp.resolve("photos"));
        Files.write(tmp.resolve("styles/readme.txt"), new byte[] {1});
        assertThatThrownBy(() -> EvaluationSet.load(tmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no .png or .jpg image");
        assertThatThrownBy(() -> EvaluationSet.load(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be null");
    }

    private static List<Path> concat(List<Path> a, List<Path> b) {
        List<Path> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
