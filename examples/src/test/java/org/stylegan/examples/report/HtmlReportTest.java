package org.stylegan.examples.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    @Test
    void syntheticReportLinksOnlyExistingDecodablePngsAndNoExternalUrls(@TempDir Path tmp) throws IOException {
        Path page = SyntheticReport.build(tmp.resolve("report"), 48, 40);

        ReportLinkChecker.Result result = ReportLinkChecker.requireValid(page);
        // 2 grids + 2 curves + 2 stylized images, each linked by <a href> and <img src>.
        assertThat(result.files()).hasSize(6);
        assertThat(result.anchors()).contains("samples", "curves", "stylized", "metrics", "timings", "config");
        for (Path file : result.files()) {
            assertThat(ImageIO.read(file.toFile())).as(file.toString()).isNotNull();
        }
        String html = Files.readString(page);
        assertThat(html).doesNotContain("http:", "https:", "<script", "file:");
        assertThat(html).contains("Synthetic run &lt;demo&gt;", "&lt;b&gt;not bold&lt;/b&gt; &amp; &quot;quoted&quot;");
        assertThat(html).contains("12 min 34 s", "420 ms", "3.2 s");
        assertThat(html).contains("src=\"stylized/astronaut%20%28swirls%29.png\"");
        try (Stream<Path> files = Files.list(page.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void writtenFilesGetTheUsualPermissionsNotTempFileOwnerOnly(@TempDir Path tmp) throws IOException {
        assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path reference = Files.createFile(tmp.resolve("reference"));
        Path page = HtmlReport.write(tmp, ReportData.builder("run").build());
        assertThat(Files.getPosixFilePermissions(page)).isEqualTo(Files.getPosixFilePermissions(reference));
    }

    @Test
    void refusesToLinkFiguresThatDoNotExist(@TempDir Path tmp) {
        ReportData data = ReportData.builder("run").grid("grids/missing.png", "missing").build();
        assertThatThrownBy(() -> HtmlReport.write(tmp, data))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[grids/missing.png] do not exist");
        assertThat(tmp.resolve(HtmlReport.INDEX)).doesNotExist();
    }

    @Test
    void figurePathsMustStayInsideTheReportFolder() {
        for (String bad : new String[] {"/abs.png", "../up.png", "a//b.png", "http://x/y.png", "c:\\x.png", "a/./b.png"}) {
            assertThatThrownBy(() -> new ReportData.Figure(bad, ""))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void checkerReportsBrokenExternalAndEscapingLinks(@TempDir Path tmp) throws IOException {
        Files.writeString(tmp.resolve("ok.png"), "x");
        Path page = tmp.resolve("index.html");
        Files.writeString(page, "<html><body id=\"top\"><a href=\"#top\">t</a><a href=\"#nope\">n</a>"
                + "<img src=\"ok.png\"><img src='gone.png'><a href=\"https://example.org/\">e</a>"
                + "<img src=\"/etc/passwd\"><img src=\"../x.png\"><div style=\"background:url(x.png)\"></div>"
                + "</body></html>");
        ReportLinkChecker.Result r = ReportLinkChecker.check(page);
        assertThat(r.ok()).isFalse();
        assertThat(r.files()).containsExactly(tmp.resolve("ok.png").toAbsolutePath().normalize());
        assertThat(r.anchors()).containsExactly("top");
        assertThat(String.join("\n", r.problems()))
                .contains("no element with id 'nope'", "gone.png does not exist", "external or absolute URL",
                        "absolute path", "outside the report folder", "CSS url(");
        assertThat(r.problems()).hasSize(6);
        assertThatThrownBy(() -> ReportLinkChecker.requireValid(page))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("6 bad link(s)");
    }

    /** The evaluation figures of a run appear as a table with one row per evaluation step, the best one starred. */
    @Test
    void evaluationsBecomeATableRowPerStep() {
        java.util.List<org.stylegan.eval.TextureScale> tex = java.util.List.of(
                new org.stylegan.eval.TextureScale(8, 0.8, 0.7, 1, 1, 1, 1));
        org.stylegan.eval.Evaluation low = new org.stylegan.eval.Evaluation(0.5, 0.5, 0.6, 0.1, 0.2, tex, 0.1, 0.4,
                0.3, 0.12);
        org.stylegan.eval.Evaluation high = new org.stylegan.eval.Evaluation(0.6, 0.6, 0.5, 0.1, 0.2, tex, 0.1, 0.5,
                0.4, 0.2);
        org.stylegan.core.train.History h = new org.stylegan.core.train.History(java.util.List.of(),
                java.util.List.of(), java.util.List.of(new org.stylegan.core.train.EvaluationEvent(50, low),
                new org.stylegan.core.train.EvaluationEvent(100, high)));
        ReportData.Builder b = ReportData.builder("run");
        TrainingReport.addEvaluations(b, h);
        String html = HtmlReport.render(b.build());
        assertThat(html).contains("<section id=\"evaluations\">").contains("<th>texture 8 px</th>")
                .contains("<td class=\"num\">50</td><td class=\"num\">0.120</td>")
                .contains("<td class=\"num\">100 *</td><td class=\"num\">0.200</td>")
                .contains("best evaluation (step 100)");
        ReportData.Builder none = ReportData.builder("run");
        TrainingReport.addEvaluations(none, org.stylegan.core.train.History.empty());
        assertThat(HtmlReport.render(none.build())).doesNotContain("id=\"evaluations\"");
    }

    @Test
    void formatsDurations() {
        assertThat(HtmlReport.formatDuration(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(HtmlReport.formatDuration(Duration.ofMillis(12_345))).isEqualTo("12.3 s");
        assertThat(HtmlReport.formatDuration(Duration.ofSeconds(125))).isEqualTo("2 min 05 s");
        assertThat(HtmlReport.formatDuration(Duration.ofMinutes(62))).isEqualTo("1 h 02 min");
    }

    @Test
    void reportDataIsImmutable() {
        ReportData d = ReportData.builder("t").config("a", 1).timing("x", Duration.ZERO).build();
        assertThatThrownBy(() -> d.config().put("b", "2")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> d.timings().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ReportData.builder(" ").build()).hasMessageContaining("title must not be blank");
        assertThatThrownBy(() -> ReportData.builder("t").timing("x", Duration.ofSeconds(-1)).build())
                .hasMessageContaining("duration of 'x' must be >= 0");
    }
}
