package org.stylegan.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stylegan.core.train.TrainerConfig;

/** The manifest's fields, its JSON form, and the errors of a bad one. */
class StyleManifestTest {
    private static final String SHA = "ab".repeat(32);

    static StyleManifest sample() {
        Map<String, String> files = new LinkedHashMap<>();
        StyleManifest.FILES.forEach(f -> files.put(f, SHA));
        return new StyleManifest("impasto", "Impasto", "Thick strokes.", "impasto.jpg (a painting)", "CC0",
                new StyleManifest.Recipe(List.of("train", "--preset", "quality", "--style", "impasto.jpg"), "quality",
                        TrainerConfig.builder().steps(10).build().toJson()),
                3000, 1800.5, "2-core EPYC", "0.1.0-SNAPSHOT", Instant.parse("2024-05-01T12:00:00Z"),
                Map.of("score", 0.21), new StyleManifest.Thumbnail(StyleCatalog.THUMBNAIL_PHOTO, 512), files);
    }

    @Test
    void roundTripsThroughJsonInTheDocumentedOrder() {
        StyleManifest m = sample();
        String json = m.toJson();
        assertThat(StyleManifest.fromJson(json, "x")).isEqualTo(m);
        assertThat(json.indexOf("\"name\"")).isLessThan(json.indexOf("\"recipe\""));
        assertThat(json.indexOf("\"recipe\"")).isLessThan(json.indexOf("\"files\""));
        assertThat(m.files().keySet()).containsExactlyElementsOf(StyleManifest.FILES);
        assertThat(m.recipe().config().steps()).isEqualTo(10);
        assertThat(m.score()).contains(0.21);
    }

    @Test
    void aMissingOrMistypedFieldNamesTheFileAndTheField() {
        String json = sample().toJson();
        assertThatThrownBy(() -> StyleManifest.fromJson(json.replace("\"steps\"", "\"stepz\""),
                "impasto/manifest.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("impasto/manifest.json is missing the field 'steps'")
                .hasMessageContaining("StylePackager");
        assertThatThrownBy(() -> StyleManifest.fromJson(json.replace("\"maxSize\" : 512", "\"maxSize\" : \"big\""),
                "m.json")).hasMessageContaining("field 'thumbnail.maxSize' must be an integer");
        assertThatThrownBy(() -> StyleManifest.fromJson(json.replace("\"thumbnail.png\"", "\"thumb.png\""), "m.json"))
                .hasMessageContaining("missing the field 'files.thumbnail.png'");
        assertThatThrownBy(() -> StyleManifest.fromJson(json.replace(SHA, "nothex"), "m.json"))
                .hasMessageContaining("m.json").hasMessageContaining("SHA-256");
        assertThatThrownBy(() -> StyleManifest.fromJson("[1]", "m.json")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> StyleManifest.fromJson("{", "m.json")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> StyleManifest.fromJson(json.replace("2024-05-01T12:00:00Z", "May"), "m.json"))
                .hasMessageContaining("'createdAt'");
    }

    @Test
    void fieldsAreValidated() {
        StyleManifest m = sample();
        assertThatThrownBy(() -> new StyleManifest("Impasto!", m.title(), m.description(), m.styleImage(),
                m.styleLicence(), m.recipe(), 1, 1, m.machine(), m.libraryVersion(), m.createdAt(), m.figures(),
                m.thumbnail(), m.files())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name must match");
        assertThatThrownBy(() -> new StyleManifest.Recipe(List.of(), null, m.recipe().trainerConfig()))
                .hasMessageContaining("recipe.command");
        assertThatThrownBy(() -> new StyleManifest.Recipe(List.of("train"), null, "{\"version\": 99}"))
                .hasMessageContaining("recipe.trainerConfig");
        assertThatThrownBy(() -> new StyleManifest.Thumbnail("p.jpg", 8)).hasMessageContaining("maxSize must be >= 16");
        assertThatThrownBy(() -> new StyleManifest(m.name(), m.title(), m.description(), m.styleImage(),
                m.styleLicence(), m.recipe(), 1, 1, m.machine(), m.libraryVersion(), m.createdAt(),
                Map.of("score", Double.NaN), m.thumbnail(), m.files())).hasMessageContaining("figures.score");
        assertThatThrownBy(() -> new StyleManifest(m.name(), m.title(), m.description(), m.styleImage(),
                m.styleLicence(), m.recipe(), 1, 1, m.machine(), m.libraryVersion(), m.createdAt(), m.figures(),
                m.thumbnail(), Map.of("model.sgm", SHA))).hasMessageContaining("exactly");
        assertThatThrownBy(() -> m.figures().put("x", 1.0)).isInstanceOf(UnsupportedOperationException.class);
    }
}
