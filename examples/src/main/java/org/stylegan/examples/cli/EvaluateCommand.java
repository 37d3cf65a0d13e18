package org.stylegan.examples.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.stylegan.eval.Evaluation;
import org.stylegan.eval.EvaluationSet;
import org.stylegan.eval.StyleEvaluator;
import org.stylegan.eval.TextureScale;
import org.stylegan.io.Images;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code style-gan evaluate}: the evaluator's figures for one stylized image, or a table over the evaluation set.
 *
 * <p>Ratios are {@code D(output, style) / D(content, style)}: 0 is the style, 1 the untouched photo, lower is
 * better. Definitions: docs/evaluation.md.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Judge stylized images against their style and photo with measures the trainer does not "
            + "optimise: content kept (SSIM, edges), palette ratio, texture ratios at 8/16/32 px (filter bank, "
            + "patch distribution), and a summary score. Ratios: 0 = the style, 1 = the untouched photo.",
            "One image: --style S --content C --output O. The evaluation set: --set DIR --outputs DIR, where the "
            + "output of style S.jpg and photo P.jpg is DIR/S/P.png (or .jpg)."})
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    StyleGanCli cli;

    @Option(names = "--style", paramLabel = "FILE", description = "Style image the output was made with.")
    Path style;

    @Option(names = "--content", paramLabel = "FILE", description = "Photo that was stylized.")
    Path content;

    @Option(names = "--output", paramLabel = "FILE", description = "Stylized photo (the photo's aspect ratio).")
    Path output;

    @Option(names = "--set", paramLabel = "DIR",
            description = "Evaluation set: a folder with styles/ and photos/ (the repository's is evaluation/).")
    Path set;

    @Option(names = "--outputs", paramLabel = "DIR",
            description = "Outputs of the set's pairs, at DIR/<style stem>/<photo stem>.png; missing pairs are "
                + "listed and skipped.")
    Path outputs;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Option(names = "--size", paramLabel = "PX",
            description = "Working size: the longer side images are resampled to (default: ${DEFAULT-VALUE}).")
    int size = 256;

    @Override
    public Integer call() throws IOException {
        boolean single = style != null || content != null || output != null;
        boolean batch = set != null || outputs != null;
        if (single && batch) {
            throw CliSupport.usage(spec, "use either --style/--content/--output (one image) or --set/--outputs "
                    + "(the evaluation set), not both");
        }
        if (!single && !batch) {
            throw CliSupport.usage(spec, "nothing to evaluate: give --style, --content and --output, or --set and "
                    + "--outputs");
        }
        if (size < 64 || size > 2048) {
            throw CliSupport.usage(spec, "--size must be in [64, 2048], found " + size);
        }
        StyleEvaluator evaluator = StyleEvaluator.builder().workingSize(size).build();
        return single ? one(evaluator) : table(evaluator);
    }

    private int one(StyleEvaluator evaluator) throws IOException {
        for (String[] o : new String[][] {{"--style", s(style)}, {"--content", s(content)}, {"--output", s(output)}}) {
            if (o[1] == null) {
                throw CliSupport.usage(spec, "missing " + o[0] + ": one image needs --style, --content and --output");
            }
        }
        CliSupport.requireFile(spec, "--style", style);
        CliSupport.requireFile(spec, "--content", content);
        CliSupport.requireFile(spec, "--output", output);
        Evaluation e = evaluator.evaluate(Images.read(style), Images.read(content), Images.read(output));
        PrintStream out = cli.out;
        if (json) {
            out.println("{\"style\": " + quote(style) + ", \"content\": " + quote(content) + ", \"output\": "
                    + quote(output) + ", \"evaluation\": " + e.toJson() + "}");
        } else {
            out.println("style    " + style);
            out.println("content  " + content);
            out.println("output   " + output);
            out.println(e);
            out.println("(ratios: 0 = the style, 1 = the untouched photo; docs/evaluation.md)");
        }
        return StyleGanCli.OK;
    }

    private int table(StyleEvaluator evaluator) throws IOException {
        if (set == null || outputs == null) {
            throw CliSupport.usage(spec, "the evaluation set needs both --set and --outputs");
        }
        CliSupport.requireDirectory(spec, "--set", set);
        CliSupport.requireDirectory(spec, "--outputs", outputs);
        EvaluationSet es = EvaluationSet.load(set);
        Map<String, Evaluation> rows = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Path st : es.styles()) {
            BufferedImage styleImage = null;
            for (Path ph : es.photos()) {
                String key = EvaluationSet.stem(st) + "/" + EvaluationSet.stem(ph);
                Optional<Path> o = EvaluationSet.output(outputs, st, ph);
                if (o.isEmpty()) {
                    missing.add(key);
                    continue;
                }
                if (styleImage == null) {
                    styleImage = Images.read(st);
                }
                try {
                    rows.put(key, evaluator.evaluate(styleImage, Images.read(ph), Images.read(o.get())));
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException(o.get() + ": " + ex.getMessage(), ex);
                }
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no outputs found under " + outputs.toAbsolutePath() + ": expected "
                    + "OUTPUTS/<style stem>/<photo stem>.png, e.g. " + outputs.resolve(EvaluationSet.stem(
                    es.styles().get(0)) + "/" + EvaluationSet.stem(es.photos().get(0)) + ".png"));
        }
        Evaluation mean = Evaluation.mean(rows.values());
        if (json) {
            printJson(rows, mean, missing);
        } else {
            printTable(rows, mean, missing);
        }
        return StyleGanCli.OK;
    }

    private void printTable(Map<String, Evaluation> rows, Evaluation mean, List<String> missing) {
        PrintStream out = cli.out;
        Evaluation first = rows.values().iterator().next();
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-32s %6s %6s %7s", "style/photo", "ssim",
                "edges", "palette"));
        for (TextureScale t : first.texture()) {
            h.append(String.format(Locale.ROOT, " %6s", "fb" + t.patchSize()));
        }
        for (TextureScale t : first.texture()) {
            h.append(String.format(Locale.ROOT, " %6s", "pd" + t.patchSize()));
        }
        h.append(String.format(Locale.ROOT, " %6s", "score"));
        out.println(h);
        for (Map.Entry<String, Evaluation> r : rows.entrySet()) {
            out.println(row(r.getKey(), r.getValue()));
        }
        out.println(row("mean of " + rows.size() + " pair(s)", mean));
        out.println("fbN: filter-bank texture ratio at N px, pdN: patch-distribution ratio at N px; ratios 0 = the "
                + "style, 1 = the photo (docs/evaluation.md)");
        if (!missing.isEmpty()) {
            // The first few name the layout problem; --json lists them all.
            String shown = String.join(", ", missing.subList(0, Math.min(8, missing.size())));
            out.println("missing outputs: " + missing.size() + " pair(s), skipped: " + shown
                    + (missing.size() > 8 ? ", ... (" + (missing.size() - 8) + " more; --json lists all)" : ""));
        }
    }

    private static String row(String name, Evaluation e) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-32s %6.3f %6.3f %7.3f", name, e.ssim(),
                e.edgeF1(), e.paletteRatio()));
        for (TextureScale t : e.texture()) {
            b.append(String.format(Locale.ROOT, " %6.3f", t.filterBankRatio()));
        }
        for (TextureScale t : e.texture()) {
            b.append(String.format(Locale.ROOT, " %6.3f", t.patchRatio()));
        }
        b.append(String.format(Locale.ROOT, " %6.3f", e.score()));
        return b.toString();
    }

    private void printJson(Map<String, Evaluation> rows, Evaluation mean, List<String> missing) {
        StringBuilder b = new StringBuilder("{\"pairs\": [");
        boolean firstRow = true;
        for (Map.Entry<String, Evaluation> r : rows.entrySet()) {
            String[] sp = r.getKey().split("/", 2);
            b.append(firstRow ? "" : ", ").append("{\"style\": ").append(quote(sp[0])).append(", \"photo\": ")
                    .append(quote(sp[1])).append(", \"evaluation\": ").append(r.getValue().toJson()).append('}');
            firstRow = false;
        }
        b.append("], \"mean\": ").append(mean.toJson()).append(", \"missing\": [");
        for (int i = 0; i < missing.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(quote(missing.get(i)));
        }
        b.append("]}");
        cli.out.println(b);
    }

    private static String s(Path p) {
        return p == null ? null : p.toString();
    }

    /** A JSON string literal. */
    static String quote(Object o) {
        String v = String.valueOf(o);
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
