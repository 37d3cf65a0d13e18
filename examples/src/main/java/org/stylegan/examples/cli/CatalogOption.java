package org.stylegan.examples.cli;

import java.nio.file.Path;
import org.stylegan.models.PretrainedStyle;
import org.stylegan.models.StyleCatalog;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --catalog DIR}, shared by the commands that use pretrained styles: which catalog their names refer to. */
final class CatalogOption {
    @Option(names = "--catalog", paramLabel = "DIR",
            description = "A style catalog folder of your own (the layout StylePackager writes) instead of the "
                + "pretrained styles shipped with style-gan.")
    Path folder;

    /** The catalog the names refer to: the folder given, else the shipped one. */
    StyleCatalog catalog(CommandSpec spec) {
        if (folder == null) {
            return StyleCatalog.classpath();
        }
        CliSupport.requireDirectory(spec, "--catalog", folder);
        return StyleCatalog.folder(folder);
    }

    /** The named style; an unknown name is a usage error of {@code option} that lists the known names. */
    PretrainedStyle style(CommandSpec spec, String option, String name) {
        try {
            return catalog(spec).get(name);
        } catch (IllegalArgumentException e) {
            throw CliSupport.usage(spec, option + ": " + e.getMessage());
        }
    }
}
