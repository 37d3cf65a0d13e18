package org.stylegan.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.core.type.TypeReference;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** Flat JSON objects for network configs (string keys, scalar values). */
public final class ConfigJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConfigJson() {
    }

    public static String write(Map<String, Object> values) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write config JSON", e);
        }
    }

    public static Map<String, Object> read(String json, String what) {
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException(what + " JSON must not be empty");
        }
        try {
            return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid " + what + " JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static int getInt(Map<String, Object> m, String key, int dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        throw new IllegalArgumentException(key + " must be an integer, found " + v);
    }

    public static long getLong(Map<String, Object> m, String key, long dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException(key + " must be an integer, found " + v);
    }

    public static double getDouble(Map<String, Object> m, String key, double dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(key + " must be a number, found " + v);
    }

    public static <E extends Enum<E>> E getEnum(Map<String, Object> m, String key, Class<E> type, E dflt) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Enum.valueOf(type, String.valueOf(v));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " must be one of " + java.util.Arrays.toString(type.getEnumConstants())
                    + ", found " + v, e);
        }
    }
}
