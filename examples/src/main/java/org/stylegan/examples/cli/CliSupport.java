package org.stylegan.examples.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.stylegan.core.net.Normalization;
import org.stylegan.core.net.Padding;
import org.stylegan.core.net.Upsampling;
import org.stylegan.core.net.GeneratorConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Shared checks of the subcommands; every failure is a usage error naming the option. */
final class CliSupport {
    private CliSupport() {
    }

    /** Throws a usage error (exit code 2) for the command of {@code spec}. */
    static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    static void requireFile(CommandSpec spec, String option, Path p) {
        if (!Files.exists(p)) {
            throw usage(spec, option + ": file not found: " + p.toAbsolutePath());
        }
        if (!Files.isRegularFile(p)) {
            throw usage(spec, option + ": not a file: " + p.toAbsolutePath());
        }
    }

    static void requireDirectory(CommandSpec spec, String option, Path p) {
        if (!Files.exists(p)) {
            throw usage(spec, option + ": folder not found: " + p.toAbsolutePath());
        }
        if (!Files.isDirectory(p)) {
            throw usage(spec, option + ": not a folder: " + p.toAbsolutePath());
        }
    }

    static void requireAtLeast(CommandSpec spec, String option, long value, long min) {
        if (value < min) {
            throw usage(spec, option + " must be >= " + min + ", found " + value);
        }
    }

    static void requireNonNegative(CommandSpec spec, String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw usage(spec, option + " must be a finite number >= 0, found " + value);
        }
    }

    /** A generator of the default shape with other widths (used by --filters/--blocks), weights seeded by seed. */
    static GeneratorConfig generator(int filters, int downsamplings, int blocks, long seed) {
        return new GeneratorConfig(filters, downsamplings, blocks, Normalization.INSTANCE, Padding.REFLECTION,
                Upsampling.NEAREST_CONV, seed);
    }

    /** Whether progress may redraw in place (only on a real terminal). */
    static boolean interactive(PrintStream out) {
        return out == System.out && ProgressBar.stdoutIsTerminal();
    }
}
