package org.stylegan.examples.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.stylegan.core.train.StepEvent;
import org.stylegan.core.train.TrainingContext;
import org.stylegan.core.train.TrainingListener;

/**
 * A console progress bar with ETA for training: {@code [#######.......]  120/300  40%  0.9 s/step  ETA 2:41  loss 1.234}.
 *
 * <p>On a terminal the bar redraws in place ({@code \r}); otherwise (a pipe, a log file, a test) it prints a
 * line every {@code 10%} of the run and at the end, so logs stay short. The ETA uses an exponential moving
 * average of the step time, so the slow first steps (JIT, native warm-up) do not inflate it for long.
 * Not thread-safe: register it on one trainer.
 */
public final class ProgressBar implements TrainingListener {
    private static final int WIDTH = 28;

    private final PrintStream out;
    private final boolean interactive;
    private final String label;
    private final LongSupplier clock;
    private double emaMillis = Double.NaN;
    private int startStep;
    private long startNanos;
    private int lastDecile = -1;
    private long lastDraw;
    private double budgetSeconds;
    private boolean lineOpen;

    /**
     * Creates a bar.
     *
     * @param out         where to draw (usually the console's stdout)
     * @param interactive true to redraw in place with {@code \r} (a terminal), false for one line per 10%
     * @param label       a short prefix, e.g. {@code train}
     */
    public ProgressBar(PrintStream out, boolean interactive, String label) {
        this(out, interactive, label, System::nanoTime);
    }

    ProgressBar(PrintStream out, boolean interactive, String label, LongSupplier nanoClock) {
        this.out = Objects.requireNonNull(out, "out");
        this.interactive = interactive;
        this.label = Objects.requireNonNull(label, "label");
        this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * Caps the ETA at a training time budget (seconds after {@link #onStart}), for runs that stop at a deadline;
     * 0 = no budget. Returns this.
     */
    public ProgressBar timeBudget(double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("seconds must be >= 0, found " + seconds);
        }
        this.budgetSeconds = seconds;
        return this;
    }

    /** Returns true when stdout looks like a terminal (a console is attached). */
    public static boolean stdoutIsTerminal() {
        return System.console() != null;
    }

    @Override
    public void onStart(TrainingContext context) {
        startStep = context.startStep();
        startNanos = clock.getAsLong();
        if (startStep > 0) {
            out.printf(Locale.ROOT, "%s: resuming at step %d of %d%n", label, startStep, context.config().steps());
        }
    }

    @Override
    public void onStep(StepEvent e) {
        double ms = e.stepMillis();
        // The first step carries warm-up; weight later steps more so the ETA settles quickly.
        emaMillis = Double.isNaN(emaMillis) ? ms : 0.8 * emaMillis + 0.2 * ms;
        int done = e.step() + 1;
        int total = Math.max(e.totalSteps(), done);
        double eta = (total - done) * emaMillis / 1000.0;
        if (budgetSeconds > 0) {
            eta = Math.min(eta, Math.max(0, budgetSeconds - elapsedSeconds()));
        }
        String line = render(done, total, emaMillis, eta, e.total());
        if (interactive) {
            long now = clock.getAsLong();
            if (done == total || now - lastDraw > 100_000_000L) {
                out.print("\r" + line);
                lastDraw = now;
                lineOpen = done != total;
                if (done == total) {
                    out.println();
                }
            }
            out.flush();
        } else {
            int decile = (int) (10L * done / total);
            if (decile != lastDecile || done == total) {
                lastDecile = decile;
                out.println(line);
                out.flush();
            }
        }
    }

    @Override
    public void onEnd(org.stylegan.core.train.History history) {
        if (lineOpen) { // stopped before the last step (time budget): end the redrawn line
            out.println();
            lineOpen = false;
        }
    }

    /** Returns the wall time since {@link #onStart}, in seconds. */
    public double elapsedSeconds() {
        return (clock.getAsLong() - startNanos) / 1e9;
    }

    /** Renders one bar line (no line break). */
    String render(int done, int total, double msPerStep, double etaSeconds, double loss) {
        int filled = (int) Math.round(WIDTH * (double) done / total);
        StringBuilder b = new StringBuilder(96);
        b.append(label).append(" [").append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
        int digits = String.valueOf(total).length();
        b.append(String.format(Locale.ROOT, "%" + digits + "d/%d %3d%%  %.2f s/step  ", done, total,
                100 * done / total, msPerStep / 1000.0));
        b.append(done == total ? "done in " + clock(elapsedSeconds()) : "ETA " + clock(etaSeconds));
        if (Double.isFinite(loss)) {
            b.append(String.format(Locale.ROOT, "  loss %.3f", loss));
        }
        return b.toString();
    }

    /** Formats seconds as m:ss (or h:mm:ss). */
    static String clock(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
