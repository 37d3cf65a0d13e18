package org.stylegan.core.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.stylegan.core.net.DiscriminatorConfig;
import org.stylegan.core.net.GeneratorConfig;
import org.stylegan.losses.AdversarialLoss;

/** The JSON form of a {@link TrainerConfig} (version {@link TrainerConfig#JSON_VERSION}), as stored in model files. */
final class TrainerConfigJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainerConfigJson() {
    }

    static String write(TrainerConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", TrainerConfig.JSON_VERSION);
        m.put("steps", c.steps());
        m.put("imageSize", c.imageSize());
        if (c.photoSize() != 0) {
            m.put("photoSize", c.photoSize());   // written only when set, so older readers' files stay as they were
        }
        m.put("batchSize", c.batchSize());
        m.put("styleSize", c.styleSize());
        m.put("discriminatorCrop", c.discriminatorCrop());
        m.put("alpha", c.alpha());
        m.put("beta", c.beta());
        m.put("gamma", c.gamma());
        m.put("tv", c.tv());
        m.put("autoBalance", c.autoBalance());
        m.put("contentMode", c.contentMode().name());
        m.put("featureSeed", c.featureSeed());
        m.put("styleTaps", c.styleTaps());
        m.put("contentTap", c.contentTap());
        m.put("lrGenerator", c.lrGenerator());
        m.put("lrDiscriminator", c.lrDiscriminator());
        m.put("beta1Generator", c.beta1Generator());
        m.put("beta2Generator", c.beta2Generator());
        m.put("beta1Discriminator", c.beta1Discriminator());
        m.put("beta2Discriminator", c.beta2Discriminator());
        m.put("lrDecayFrom", c.lrDecayFrom());
        m.put("discriminatorSteps", c.discriminatorSteps());
        m.put("labelSmoothing", c.labelSmoothing());
        m.put("adversarialLoss", c.adversarialLoss().name());
        m.put("imagePoolSize", c.imagePoolSize());
        m.put("seed", c.seed());
        m.put("checkpointEvery", c.checkpointEvery());
        m.put("checkpointDir", c.checkpointDir() == null ? null : c.checkpointDir().toString());
        m.put("discriminatorScales", c.discriminatorScales());
        m.put("collapseSnapshotEvery", c.collapseSnapshotEvery());
        m.put("evaluateEvery", c.evaluateEvery());
        try {
            m.put("generator", JSON.readValue(c.generator().toJson(), Map.class));
            m.put("discriminator", JSON.readValue(c.discriminator().toJson(), Map.class));
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write trainer config JSON", e);
        }
    }

    @SuppressWarnings("unchecked")
    static TrainerConfig read(String json) {
        Map<String, Object> m;
        try {
            m = JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid trainer config JSON: " + e.getOriginalMessage(), e);
        }
        Object v = m.get("version");
        if (v != null && (!(v instanceof Number n) || n.intValue() != TrainerConfig.JSON_VERSION)) {
            throw new IllegalArgumentException("trainer config: expected version " + TrainerConfig.JSON_VERSION + ", found " + v);
        }
        TrainerConfig.Builder b = TrainerConfig.builder();
        try {
            if (m.containsKey("steps")) b.steps(num(m, "steps").intValue());
            if (m.containsKey("imageSize")) b.imageSize(num(m, "imageSize").intValue());
            if (m.containsKey("photoSize")) b.photoSize(num(m, "photoSize").intValue());
            if (m.containsKey("batchSize")) b.batchSize(num(m, "batchSize").intValue());
            if (m.containsKey("styleSize")) b.styleSize(num(m, "styleSize").intValue());
            if (m.containsKey("discriminatorCrop")) b.discriminatorCrop(num(m, "discriminatorCrop").intValue());
            if (m.containsKey("alpha")) b.alpha(num(m, "alpha").doubleValue());
            if (m.containsKey("beta")) b.beta(num(m, "beta").doubleValue());
            if (m.containsKey("gamma")) b.gamma(num(m, "gamma").doubleValue());
            if (m.containsKey("tv")) b.tv(num(m, "tv").doubleValue());
            if (m.containsKey("autoBalance")) b.autoBalance(Boolean.TRUE.equals(m.get("autoBalance")));
            if (m.containsKey("contentMode")) b.contentMode(TrainerConfig.ContentMode.valueOf(String.valueOf(m.get("contentMode"))));
            if (m.containsKey("featureSeed")) b.featureSeed(num(m, "featureSeed").longValue());
            if (m.containsKey("styleTaps")) b.styleTaps(((List<String>) m.get("styleTaps")).toArray(new String[0]));
            if (m.containsKey("contentTap")) b.contentTap(String.valueOf(m.get("contentTap")));
            if (m.containsKey("lrGenerator")) b.lrGenerator(num(m, "lrGenerator").doubleValue());
            if (m.containsKey("lrDiscriminator")) b.lrDiscriminator(num(m, "lrDiscriminator").doubleValue());
            if (m.containsKey("beta1Generator")) {
                b.betasGenerator(num(m, "beta1Generator").doubleValue(), num(m, "beta2Generator").doubleValue());
            }
            if (m.containsKey("beta1Discriminator")) {
                b.betasDiscriminator(num(m, "beta1Discriminator").doubleValue(),
                        num(m, "beta2Discriminator").doubleValue());
            }
            if (m.containsKey("lrDecayFrom")) b.lrDecayFrom(num(m, "lrDecayFrom").intValue());
            if (m.containsKey("discriminatorSteps")) b.discriminatorSteps(num(m, "discriminatorSteps").intValue());
            if (m.containsKey("labelSmoothing")) b.labelSmoothing(num(m, "labelSmoothing").doubleValue());
            if (m.containsKey("adversarialLoss")) {
                b.adversarialLoss(AdversarialLoss.Kind.valueOf(String.valueOf(m.get("adversarialLoss"))));
            }
            if (m.containsKey("imagePoolSize")) b.imagePoolSize(num(m, "imagePoolSize").intValue());
            if (m.containsKey("seed")) b.seed(num(m, "seed").longValue());
            if (m.containsKey("checkpointEvery")) b.checkpointEvery(num(m, "checkpointEvery").intValue());
            if (m.containsKey("discriminatorScales")) b.discriminatorScales(num(m, "discriminatorScales").intValue());
            if (m.containsKey("collapseSnapshotEvery")) {
                b.collapseSnapshotEvery(num(m, "collapseSnapshotEvery").intValue());
            }
            if (m.containsKey("evaluateEvery")) b.evaluateEvery(num(m, "evaluateEvery").intValue());
            if (m.get("checkpointDir") != null) b.checkpointDir(Path.of(String.valueOf(m.get("checkpointDir"))));
            if (m.get("generator") != null) b.generator(GeneratorConfig.fromJson(JSON.writeValueAsString(m.get("generator"))));
            if (m.get("discriminator") != null) {
                b.discriminator(DiscriminatorConfig.fromJson(JSON.writeValueAsString(m.get("discriminator"))));
            }
        } catch (JsonProcessingException | ClassCastException | NullPointerException e) {
            // A field of the wrong type or null (e.g. "styleTaps": null) in a damaged or hand-edited file.
            throw new IllegalArgumentException("invalid trainer config JSON: " + e.getMessage(), e);
        }
        return b.build();
    }

    private static Number num(Map<String, Object> m, String key) {
        Object o = m.get(key);
        if (!(o instanceof Number n)) {
            throw new IllegalArgumentException("trainer config: " + key + " must be a number, found " + o);
        }
        return n;
    }

}
