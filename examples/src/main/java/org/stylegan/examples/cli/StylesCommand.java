package org.stylegan.examples.cli;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.stylegan.models.PretrainedStyle;
import org.stylegan.models.StyleCatalog;
import org.stylegan.models.StyleManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code style-gan styles}: lists the pretrained styles. */
@Command(name = "styles", mixinStandardHelpOptions = true, sortOptions = false,
        description = "List the pretrained styles: use one with 'stylize --style NAME', fine-tune from it with "
            + "'train --init NAME', or see it in 'quickstart --pretrained NAME'.")
final class StylesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    StyleGanCli cli;

    @Mixin
    CatalogOption catalogOption;

    @Option(names = "--json", description = "One JSON document (every manifest field but the checksums and the "
            + "trainer config) instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        StyleCatalog catalog = catalogOption.catalog(spec);
        List<PretrainedStyle> styles = catalog.styles();
        if (json) {
            printJson(catalog, styles);
        } else if (styles.isEmpty()) {
            cli.out.println("No pretrained styles in " + catalog.location() + ".");
        } else {
            printTable(styles);
        }
        return StyleGanCli.OK;
    }

    private void printTable(List<PretrainedStyle> styles) {
        String format = "%-16s %-28s %7s %10s %6s%n";
        cli.out.printf(Locale.ROOT, format, "name", "title", "steps", "training", "score");
        for (PretrainedStyle s : styles) {
            StyleManifest m = s.manifest();
            cli.out.printf(Locale.ROOT, format, m.name(), clip(m.title(), 28), m.steps(), duration(m.trainingSeconds()),
                    m.score().map(v -> String.format(Locale.ROOT, "%.3f", v)).orElse("-"));
        }
        cli.out.println("score: the evaluator's summary over the evaluation set, higher is better "
                + "(docs/evaluation.md)");
    }

    private void printJson(StyleCatalog catalog, List<PretrainedStyle> styles) throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("catalog", catalog.location());
        ArrayNode list = root.putArray("styles");
        for (PretrainedStyle s : styles) {
            StyleManifest m = s.manifest();
            ObjectNode o = list.addObject();
            o.put("name", m.name());
            o.put("title", m.title());
            o.put("description", m.description());
            o.put("styleImage", m.styleImage());
            o.put("styleLicence", m.styleLicence());
            o.put("steps", m.steps());
            o.put("trainingSeconds", m.trainingSeconds());
            o.put("machine", m.machine());
            o.put("preset", m.recipe().preset());
            ArrayNode cmd = o.putArray("command");
            m.recipe().command().forEach(cmd::add);
            ObjectNode f = o.putObject("figures");
            m.figures().forEach(f::put);
        }
        cli.out.println(mapper.writeValueAsString(root));
    }

    /** "45 s", "12 min", "2 h 05 min". */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        long min = Math.round(seconds / 60);
        return min < 60 ? min + " min" : String.format(Locale.ROOT, "%d h %02d min", min / 60, min % 60);
    }

    private static String clip(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 3) + "...";
    }
}
