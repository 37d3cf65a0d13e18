package org.stylegan.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.stylegan.core.train.TrainerConfig;

class PresetTest {
    @Test
    void fastIsAGanWithThePyramidWithinTheQuickStartBudget() {
        StyleTransfer t = StyleTransfer.builder().preset(Preset.FAST).build();
        TrainerConfig c = t.config();
        assertThat(c.gamma()).isEqualTo(0.1);
        assertThat(c.adversarialActive()).isTrue();
        assertThat(c.photoSize()).isEqualTo(256);
        assertThat(c.imageSize()).isEqualTo(96);
        assertThat(c.discriminatorScales()).isEqualTo(3);
        assertThat(c.tv()).isEqualTo(0.1);
        assertThat(c.alpha()).isEqualTo(3);
        assertThat(c.beta()).isEqualTo(10);
        assertThat(c.batchSize()).isEqualTo(2);
        assertThat(c.lrGenerator()).isEqualTo(1e-3);
        assertThat(c.lrDiscriminator()).isEqualTo(2e-4);
        assertThat(t.timeLimit()).isLessThanOrEqualTo(Duration.ofSeconds(180));
    }

    @Test
    void qualityEvaluatesAndKeepsTheBestWithinHalfAnHour() {
        StyleTransfer t = StyleTransfer.builder().preset(Preset.QUALITY).build();
        assertThat(t.config().evaluateEvery()).isPositive();
        assertThat(t.config().discriminatorScales()).isEqualTo(3);
        assertThat(t.config().imageSize()).isEqualTo(128);
        assertThat(t.config().photoSize()).isEqualTo(256);
        assertThat(t.config().generator()).isEqualTo(TrainerConfig.smallGenerator());
        assertThat(t.timeLimit()).isLessThanOrEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void laterSettersOverrideAndDefaultsStayWithoutAPreset() {
        TrainerConfig c = StyleTransfer.builder().preset(Preset.FAST).gamma(0.1).steps(7).build().config();
        assertThat(c.gamma()).isEqualTo(0.1);
        assertThat(c.steps()).isEqualTo(7);
        assertThat(c.discriminatorScales()).isEqualTo(3);
        assertThat(StyleTransfer.builder().build().config()).isEqualTo(TrainerConfig.defaults());
        assertThat(TrainerConfig.defaults().discriminatorScales()).isEqualTo(1);
        assertThat(Preset.parse(" Quality ")).isEqualTo(Preset.QUALITY);
        assertThatThrownBy(() -> Preset.parse("slow")).hasMessageContaining("preset must be fast or quality");
    }
}
