package org.stylegan.examples.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Objects;
import org.stylegan.core.train.TrainingDivergedException;
import org.stylegan.io.ImageReadException;
import org.stylegan.io.ModelFormatException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code style-gan} command line: {@code quickstart}, {@code train}, {@code stylize}, {@code evaluate} and
 * {@code styles}.
 *
 * <p>Exit codes: 0 success, 2 usage error (bad or missing option, missing file given on the command line),
 * 1 runtime error (unreadable image, damaged model, failed training). Errors print one line,
 * {@code error: ...}, naming the file or option at fault; {@code --verbose} adds the stack trace.
 * {@link #run} runs in-process with injectable streams (tests use it); {@link #main} exits the JVM.
 */
@Command(name = "style-gan", mixinStandardHelpOptions = true, versionProvider = StyleGanCli.Version.class,
        description = "GAN-based image style transfer: train a style model, stylize photos, evaluate the results, "
            + "use a pretrained style.",
        subcommands = {QuickstartCommand.class, TrainCommand.class, StylizeCommand.class, EvaluateCommand.class,
            StylesCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Run 'style-gan COMMAND --help' for the options of a command. Docs: docs/cli.md"})
public final class StyleGanCli implements Runnable {
    /** Exit code of a successful run. */
    public static final int OK = 0;
    /** Exit code of a runtime failure (bad input file, damaged model, training failure). */
    public static final int RUNTIME_ERROR = 1;
    /** Exit code of a usage error (unknown or invalid option, missing required option or file). */
    public static final int USAGE_ERROR = 2;

    @Spec
    CommandSpec spec;

    /** The console streams given to {@link #run}; subcommands print through these. */
    final PrintStream out;
    final PrintStream err;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Print the stack trace when an error occurs.")
    boolean verbose;

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /**
     * Runs the command line in-process.
     *
     * @param out  standard output (help, progress, results)
     * @param err  standard error (error lines, usage hints)
     * @param args command-line arguments
     * @return the exit code: {@link #OK}, {@link #RUNTIME_ERROR} or {@link #USAGE_ERROR}
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        CommandLine cl = commandLine(out, err);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Builds the configured picocli command line (exit codes, handlers, streams). */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new StyleGanCli(out, err));
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        // A repeated option overrides the earlier one (handy for scripts that append settings).
        cl.setOverwrittenOptionsAllowed(true);
        cl.setExecutionExceptionHandler(StyleGanCli::onException);
        cl.setParameterExceptionHandler(StyleGanCli::onUsageError);
        cl.setExitCodeExceptionMapper(t -> t instanceof ParameterException ? USAGE_ERROR : RUNTIME_ERROR);
        // Each subcommand's streams are the ones set above (picocli copies them to subcommands).
        return cl;
    }

    private StyleGanCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "missing command: choose quickstart, train, stylize, evaluate or styles");
    }

    private static int onUsageError(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("error: " + e.getMessage());
        if (isVerbose(cl)) {
            e.printStackTrace(err);
        }
        err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return USAGE_ERROR;
    }

    private static int onException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        err.println("error: " + describe(e));
        if (isVerbose(cl)) {
            e.printStackTrace(err);
        } else if (!known(e)) {
            err.println("(run again with --verbose for the stack trace)");
        }
        err.flush();
        return RUNTIME_ERROR;
    }

    /** One line naming what went wrong; the library's messages already name the file and the fix. */
    static String describe(Throwable e) {
        Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        if (t instanceof ImageReadException ire) {
            String where = ire.file().map(f -> " " + f).orElse("");
            return "cannot read image" + where + ": " + stripFile(ire.getMessage(), ire.file().map(Object::toString)
                    .orElse(null));
        }
        if (t instanceof ModelFormatException) {
            return "cannot load model: " + t.getMessage();
        }
        if (t instanceof NoSuchFileException n) {
            return "file not found: " + n.getFile();
        }
        if (t instanceof TrainingDivergedException) {
            return "training diverged: " + t.getMessage() + " (try a lower learning rate or gamma)";
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory: " + t.getMessage() + " (use a smaller --size, --batch or --max-size, or --tile)";
        }
        if (t instanceof IOException) {
            return t.getMessage() == null ? t.toString() : t.getMessage();
        }
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }

    private static boolean known(Throwable e) {
        Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        return t instanceof IOException || t instanceof IllegalArgumentException
                || t instanceof TrainingDivergedException;
    }

    /** Drops a leading file name from a library message when the line already names the file. */
    private static String stripFile(String message, String file) {
        if (message == null) {
            return "unreadable";
        }
        if (file != null) {
            String name = java.nio.file.Path.of(file).getFileName().toString();
            for (String prefix : new String[] {file + ": ", file + " ", name + ": ", name + " "}) {
                if (message.startsWith(prefix)) {
                    return message.substring(prefix.length());
                }
            }
        }
        return message;
    }

    private static boolean isVerbose(CommandLine cl) {
        for (CommandLine c = cl; c != null; c = c.getParent()) {
            CommandLine.Model.OptionSpec o = c.getCommandSpec().findOption("--verbose");
            if (o != null && Boolean.TRUE.equals(o.getValue())) {
                return true;
            }
        }
        return false;
    }

    /** Reports the library version from the jar manifest (or "development" when run from classes). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = StyleGanCli.class.getPackage().getImplementationVersion();
            return new String[] {"style-gan " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
