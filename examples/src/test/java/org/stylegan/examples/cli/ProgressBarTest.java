package org.stylegan.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.stylegan.core.train.StepEvent;

class ProgressBarTest {

    static StepEvent event(int step, int total, double ms) {
        return new StepEvent(step, total, Map.of("style", 1.0), Map.of("style", 10.0), 10.0, Double.NaN,
                Double.NaN, Double.NaN, 1e-3, Double.NaN, ms, 2000 / ms);
    }

    @Test
    void nonInteractiveBarPrintsOneLinePerTenthAndTheEtaFollowsTheStepTime() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8), false, "train",
                now::get);
        for (int s = 0; s < 100; s++) {
            now.addAndGet(500_000_000L);
            bar.onStep(event(s, 100, 500));
        }
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        // step 1 (0%), then 10%, 20%, ... 100%
        assertThat(lines).hasSize(11);
        assertThat(lines[0]).startsWith("train [").contains("  1/100   1%  0.50 s/step  ETA 0:50  loss 10.000");
        assertThat(lines[5]).contains(" 50/100  50%", "ETA 0:25");
        assertThat(lines[10]).contains("[############################]", "100/100 100%", "done in 0:50");
        assertThat(buf.toString(StandardCharsets.UTF_8)).doesNotContain("\r");
    }

    @Test
    void interactiveBarRedrawsInPlaceAndEndsTheLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        AtomicLong now = new AtomicLong();
        ProgressBar bar = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8), true, "train",
                now::get);
        for (int s = 0; s < 3; s++) {
            now.addAndGet(1_000_000_000L);
            bar.onStep(event(s, 3, 1000));
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("\rtrain [").endsWith("\n").contains("3/3 100%");
        assertThat(text.chars().filter(c -> c == '\r').count()).isEqualTo(3);
    }

    @Test
    void etaAveragesOutTheSlowFirstStep() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(buf, true, StandardCharsets.UTF_8), false, "t", () -> 0L);
        bar.onStep(event(0, 100, 10_000));
        for (int s = 1; s < 30; s++) {
            bar.onStep(event(s, 100, 400));
        }
        String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0]).contains("10.00 s/step", "ETA 16:30");
        // 29 steps after a 10 s first step: the average is back near 0.40 s/step (0.4 + 9.6 * 0.8^29 = 0.415)
        assertThat(lines[lines.length - 1]).contains("30/100", "0.41 s/step", "ETA 0:29");
    }

    @Test
    void clockFormat() {
        assertThat(ProgressBar.clock(0)).isEqualTo("0:00");
        assertThat(ProgressBar.clock(61.4)).isEqualTo("1:01");
        assertThat(ProgressBar.clock(3725)).isEqualTo("1:02:05");
    }
}
