package org.stylegan.examples.report;

import org.stylegan.io.AtomicFiles;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a self-contained {@code index.html} for a run: sample grids, loss curves, stylized images,
 * headline metrics, configuration and timings.
 *
 * <p>The page has inline CSS, no scripts and no external URLs; every image is a relative link into the
 * report folder, so the folder can be moved, zipped or opened offline. All text is HTML-escaped. The page
 * is written atomically, after checking that every referenced figure exists.
 */
public final class HtmlReport {

    /** File name of the page inside the report folder. */
    public static final String INDEX = "index.html";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private HtmlReport() {
    }

    /**
     * Writes {@code folder/index.html} for {@code data}.
     *
     * @param folder report folder; every figure path of {@code data} is resolved against it
     * @param data   what to show
     * @return the written page
     * @throws IllegalArgumentException if a referenced figure is not a file in {@code folder}
     * @throws IOException              if the page cannot be written
     */
    public static Path write(Path folder, ReportData data) throws IOException {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(data, "data");
        List<String> missing = new ArrayList<>();
        for (ReportData.Figure f : data.allFigures()) {
            if (!Files.isRegularFile(folder.resolve(f.path()))) {
                missing.add(f.path());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("report figures " + missing + " do not exist in " + folder
                    + "; write the images before the report");
        }
        Path page = folder.resolve(INDEX);
        AtomicFiles.write(page, render(data).getBytes(StandardCharsets.UTF_8));
        return page;
    }

    /** Renders the page text (no file checks). */
    public static String render(ReportData d) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(d.title())).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n<header>\n<h1>").append(esc(d.title())).append("</h1>\n");
        if (!d.subtitle().isEmpty()) {
            h.append("<p class=\"sub\">").append(esc(d.subtitle())).append("</p>\n");
        }
        h.append("<p class=\"meta\">generated ").append(esc(TIME.format(d.createdAt()))).append("</p>\n");
        h.append("<nav>");
        nav(h, !d.grids().isEmpty(), "samples", "Samples");
        nav(h, !d.curves().isEmpty(), "curves", "Loss curves");
        nav(h, !d.stylized().isEmpty(), "stylized", "Stylized images");
        nav(h, !d.metrics().isEmpty(), "metrics", "Metrics");
        nav(h, !d.evaluations().isEmpty(), "evaluations", "Evaluations");
        nav(h, !d.timings().isEmpty(), "timings", "Timings");
        nav(h, !d.config().isEmpty(), "config", "Configuration");
        h.append("</nav>\n</header>\n<main>\n");

        if (!d.metrics().isEmpty()) {
            h.append("<section id=\"metrics\">\n<h2>Metrics</h2>\n<div class=\"cards\">\n");
            d.metrics().forEach((k, v) -> h.append("<div class=\"card\"><div class=\"k\">").append(esc(k))
                    .append("</div><div class=\"v\">").append(esc(v)).append("</div></div>\n"));
            h.append("</div>\n</section>\n");
        }
        if (!d.evaluations().isEmpty()) {
            h.append("<section id=\"evaluations\">\n<h2>Evaluations</h2>\n<p class=\"hint\">the evaluator on the "
                    + "held-out photo (docs/evaluation.md): ratios are 0 at the style, 1 at the photo; score = "
                    + "contentKept x styleMoved, higher is better; * marks the step of the returned model</p>\n"
                    + "<table class=\"timings\">\n<thead><tr>");
            d.evaluations().get(0).forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
            h.append("</tr></thead>\n<tbody>\n");
            for (List<String> row : d.evaluations().subList(1, d.evaluations().size())) {
                h.append("<tr>");
                row.forEach(c -> h.append("<td class=\"num\">").append(esc(c)).append("</td>"));
                h.append("</tr>\n");
            }
            h.append("</tbody>\n</table>\n</section>\n");
        }
        figures(h, "samples", "Samples", "content | stylized | style", d.grids(), "wide");
        figures(h, "curves", "Loss curves", "", d.curves(), "wide");
        figures(h, "stylized", "Stylized images", "", d.stylized(), "gallery");
        if (!d.timings().isEmpty()) {
            long total = d.timings().stream().mapToLong(t -> t.duration().toNanos()).sum();
            h.append("<section id=\"timings\">\n<h2>Timings</h2>\n<table class=\"timings\">\n")
                    .append("<thead><tr><th>stage</th><th class=\"num\">wall time</th><th>share</th></tr></thead>\n<tbody>\n");
            for (ReportData.Timing t : d.timings()) {
                double share = total == 0 ? 0 : 100.0 * t.duration().toNanos() / total;
                h.append("<tr><td>").append(esc(t.label())).append("</td><td class=\"num\">")
                        .append(esc(formatDuration(t.duration()))).append("</td><td><span class=\"bar\" style=\"width:")
                        .append(String.format(Locale.ROOT, "%.1f", share)).append("%\"></span> ")
                        .append(String.format(Locale.ROOT, "%.0f%%", share)).append("</td></tr>\n");
            }
            h.append("</tbody>\n</table>\n</section>\n");
        }
        if (!d.config().isEmpty()) {
            h.append("<section id=\"config\">\n<h2>Configuration</h2>\n<table class=\"kv\">\n<tbody>\n");
            for (Map.Entry<String, String> e : d.config().entrySet()) {
                h.append("<tr><th>").append(esc(e.getKey())).append("</th><td><code>").append(esc(e.getValue()))
                        .append("</code></td></tr>\n");
            }
            h.append("</tbody>\n</table>\n</section>\n");
        }
        if (!d.notes().isEmpty()) {
            h.append("<section id=\"notes\">\n<h2>Notes</h2>\n");
            d.notes().forEach(n -> h.append("<p>").append(esc(n)).append("</p>\n"));
            h.append("</section>\n");
        }
        h.append("</main>\n<footer>style-gan run report</footer>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void nav(StringBuilder h, boolean present, String id, String label) {
        if (present) {
            h.append("<a href=\"#").append(id).append("\">").append(label).append("</a>");
        }
    }

    private static void figures(StringBuilder h, String id, String title, String hint, List<ReportData.Figure> figs,
                                String layout) {
        if (figs.isEmpty()) {
            return;
        }
        h.append("<section id=\"").append(id).append("\">\n<h2>").append(title);
        if (!hint.isEmpty()) {
            h.append(" <small>").append(esc(hint)).append("</small>");
        }
        h.append("</h2>\n<div class=\"").append(layout).append("\">\n");
        for (ReportData.Figure f : figs) {
            String href = attr(encodePath(f.path()));
            String alt = f.caption().isEmpty() ? f.path() : f.caption();
            h.append("<figure><a href=\"").append(href).append("\"><img src=\"").append(href)
                    .append("\" alt=\"").append(attr(alt)).append("\" loading=\"lazy\"></a>");
            if (!f.caption().isEmpty()) {
                h.append("<figcaption>").append(esc(f.caption())).append("</figcaption>");
            }
            h.append("</figure>\n");
        }
        h.append("</div>\n</section>\n");
    }

    /** Percent-encodes each path segment so spaces and '#' in file names still link correctly. */
    static String encodePath(String path) {
        String[] parts = path.split("/", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(URLEncoder.encode(parts[i], StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }

    /** Human-readable duration: "850 ms", "12.3 s", "2 min 05 s", "1 h 02 min". */
    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        double s = ms / 1000.0;
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long secs = d.toSeconds();
        if (secs < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", secs / 60, secs % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", secs / 3600, (secs % 3600) / 60);
    }

    /** Escapes text for element content. */
    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String attr(String s) {
        return esc(s);
    }

    private static final String CSS = """
            :root { --fg:#1d232b; --muted:#5c6773; --line:#dde3ea; --bg:#f6f8fa; --accent:#2f6fbf; }
            * { box-sizing: border-box; }
            body { margin:0; font:15px/1.5 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
                   color:var(--fg); background:var(--bg); }
            header { background:#fff; border-bottom:1px solid var(--line); padding:20px 32px 12px; }
            h1 { margin:0; font-size:26px; }
            h2 { font-size:19px; margin:0 0 12px; border-bottom:1px solid var(--line); padding-bottom:6px; }
            h2 small { font-weight:normal; color:var(--muted); font-size:13px; margin-left:8px; }
            .sub { margin:4px 0 0; color:var(--muted); }
            .meta { margin:2px 0 8px; color:var(--muted); font-size:13px; }
            nav a { display:inline-block; margin:0 14px 0 0; color:var(--accent); text-decoration:none; font-size:14px; }
            nav a:hover { text-decoration:underline; }
            main { max-width:1280px; margin:0 auto; padding:16px 32px 32px; }
            section { background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px 20px;
                      margin:16px 0; }
            figure { margin:0 0 12px; }
            figure img { display:block; max-width:100%; height:auto; border:1px solid var(--line); border-radius:4px;
                         background:#fff; }
            figcaption { color:var(--muted); font-size:13px; margin-top:4px; overflow-wrap:anywhere; }
            .wide figure img { margin:0 auto; }
            .wide figcaption { text-align:center; }
            .gallery { display:grid; grid-template-columns:repeat(auto-fill, minmax(220px, 1fr)); gap:14px; }
            .gallery figure img { width:100%; aspect-ratio:auto; }
            .cards { display:flex; flex-wrap:wrap; gap:12px; }
            .card { border:1px solid var(--line); border-radius:6px; padding:8px 14px; min-width:150px; background:var(--bg); }
            .card .k { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.03em; }
            .card .v { font-size:20px; font-variant-numeric:tabular-nums; overflow-wrap:anywhere; }
            table { border-collapse:collapse; width:100%; font-size:14px; }
            th, td { text-align:left; padding:5px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
            table.kv th { width:32%; font-weight:600; color:#36404b; overflow-wrap:anywhere; }
            table.kv code { font:13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
                            white-space:pre-wrap; overflow-wrap:anywhere; }
            td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
            .timings td:last-child { width:40%; white-space:nowrap; color:var(--muted); }
            .bar { display:inline-block; height:10px; max-width:80%; background:var(--accent); border-radius:2px;
                   vertical-align:middle; }
            footer { text-align:center; color:var(--muted); font-size:12px; padding:8px 0 24px; }
            """;
}
