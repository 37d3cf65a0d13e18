package org.stylegan.spark;

import java.util.Locale;

/**
 * The arguments of {@link StylizeJob}: what to stylize, where to, and how. Immutable; the constructor validates.
 *
 * @param input      a folder (read recursively) or a glob ({@code /data/photos/2024-*}); local or a Hadoop URI
 * @param output     the output folder; local or a Hadoop URI
 * @param settings   model, options, format and batch size
 * @param partitions how many tasks share the images; 0 = three per core of the application
 */
public record JobConfig(String input, String output, StylizeSettings settings, int partitions) {
    /** The usage text of {@code StylizeJob --help}. */
    public static final String USAGE = String.join("\n",
            "Usage: spark-submit --class org.stylegan.spark.StylizeJob style-gan-spark.jar",
            "         --model MODEL.zip --input DIR_OR_GLOB --output DIR [options]",
            "Stylizes every image under DIR (recursively) or matching GLOB into DIR/<relative path>.<format>,",
            "skipping images already there, and writes a Parquet manifest to DIR/_manifest/run=<time>.",
            "  --model PATH        model file: local path on every node, a file shipped with --files, or hdfs:// etc.",
            "  --input DIR|GLOB    images to stylize (PNG, JPEG, BMP, GIF)",
            "  --output DIR        output folder (not inside the input)",
            "  --format png|jpg    output encoding (default png)",
            "  --strength 0..1     1 = full style, 0 = the photo unchanged (default 1)",
            "  --preserve-colors   keep the photo's colours",
            "  --max-size PX       downscale inputs whose longer side exceeds PX; 0 = no limit (default 0)",
            "  --tile PX           process large images in overlapping PX tiles (multiple of 4, >= 32); 0 = off",
            "  --batch-size N      stylize same-size images N at a time: faster for small images, but a few",
            "                      pixels may differ by one level from one-by-one (default 1: exact)",
            "  --partitions N      number of tasks; 0 = three per core (default 0)",
            "  --help              this text");

    /** Validates every field. */
    public JobConfig {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("--input must name a folder or a glob of images, found "
                    + (input == null ? "nothing" : "'" + input + "'"));
        }
        if (output == null || output.isBlank()) {
            throw new IllegalArgumentException("--output must name a folder, found "
                    + (output == null ? "nothing" : "'" + output + "'"));
        }
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        if (partitions < 0) {
            throw new IllegalArgumentException("--partitions must be >= 0 (0 = three per core), found " + partitions);
        }
    }

    /**
     * Parses the command line of {@link StylizeJob}.
     *
     * @return the config, or null when {@code --help} was asked for
     * @throws IllegalArgumentException for a missing, unknown or bad option; the message names it and the fix
     */
    public static JobConfig parse(String... args) {
        String model = null;
        String input = null;
        String output = null;
        OutputFormat format = OutputFormat.PNG;
        double strength = 1;
        boolean preserve = false;
        int maxSize = 0;
        int tile = 0;
        int batch = StylizeSettings.DEFAULT_BATCH_SIZE;
        int partitions = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    return null;
                }
                case "--preserve-colors" -> preserve = true;
                case "--model" -> model = value(args, ++i, a);
                case "--input" -> input = value(args, ++i, a);
                case "--output" -> output = value(args, ++i, a);
                case "--format" -> format = OutputFormat.parse(value(args, ++i, a));
                case "--strength" -> strength = number(value(args, ++i, a), a);
                case "--max-size" -> maxSize = integer(value(args, ++i, a), a);
                case "--tile" -> tile = integer(value(args, ++i, a), a);
                case "--batch-size" -> batch = integer(value(args, ++i, a), a);
                case "--partitions" -> partitions = integer(value(args, ++i, a), a);
                default -> throw new IllegalArgumentException("unknown option '" + a + "'; see --help");
            }
        }
        if (model == null) {
            throw new IllegalArgumentException("--model is required: the model file written by 'style-gan train'");
        }
        if (input == null) {
            throw new IllegalArgumentException("--input is required: a folder or a glob of images");
        }
        if (output == null) {
            throw new IllegalArgumentException("--output is required: the folder for the stylized images");
        }
        // The tile overlap of the style-gan CLI, so both give the same pixels for the same --tile.
        int overlap = Math.min(32, tile / 4);
        StylizeSettings s;
        try {
            s = new StylizeSettings(model, strength, preserve, maxSize, tile, overlap, format, batch);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage().replace("tileSize", "tile")
                    .replace("maxSize", "max-size").replace("batchSize", "batch-size"), e);
        }
        return new JobConfig(input, output, s, partitions);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value; see --help");
        }
        return args[i];
    }

    private static int integer(String v, String option) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, found '" + v + "'");
        }
    }

    private static double number(String v, String option) {
        try {
            return Double.parseDouble(v.trim().toLowerCase(Locale.ROOT));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, found '" + v + "'");
        }
    }
}
