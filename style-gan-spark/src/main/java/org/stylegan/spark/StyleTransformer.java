package org.stylegan.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.stylegan.core.StyleModel;

/**
 * A Spark ML {@link Transformer} that stylizes image bytes: reads the {@code inputCol} (binary; default
 * {@code content}, the column of Spark's {@code binaryFile} source) and adds {@code outputCol} (the stylized image
 * encoded as PNG or JPEG; null when the image failed) and {@code errorCol} (why it failed; null when it worked).
 * A corrupt or odd image never fails the job; it gets a null output and a reason.
 *
 * <pre>{@code
 * Dataset<Row> photos = spark.read().format("binaryFile").load("photos/");
 * Dataset<Row> styled = new StyleTransformer().setModel("model.zip").setStrength(0.8).transform(photos);
 * }</pre>
 *
 * <p>The pixels are those of {@code StyleModel.stylize(image, options)} with the same options (with the default
 * {@code batchSize} 1; see {@link StylizeSettings#batchSize()}). The model is loaded once per executor JVM; a
 * partition streams through in chunks of {@code batchSize} images, same-size images of a chunk stylized as one batch.
 */
public final class StyleTransformer extends Transformer {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> model;
    private final DoubleParam strength;
    private final BooleanParam preserveColors;
    private final IntParam maxSize;
    private final IntParam tile;
    private final IntParam tileOverlap;
    private final Param<String> outputFormat;
    private final IntParam batchSize;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> errorCol;

    /** Creates a transformer with a random uid and the defaults of {@code StyleModel.Options.DEFAULT}. */
    public StyleTransformer() {
        this(Identifiable$.MODULE$.randomUID("styleTransformer"));
    }

    /** Creates a transformer with the given uid (Spark's {@code copy} uses this constructor). */
    public StyleTransformer(String uid) {
        this.uid = uid;
        model = new Param<>(this, "model", "the model file: a local path, a file shipped with --files, or a "
                + "Hadoop URI (hdfs://, s3a://)");
        strength = new DoubleParam(this, "strength", "1 = full style, 0 = the photo unchanged, in [0, 1]");
        preserveColors = new BooleanParam(this, "preserveColors", "keep the photo's colours");
        maxSize = new IntParam(this, "maxSize", "downscale inputs whose longer side exceeds this; 0 = no limit");
        tile = new IntParam(this, "tile", "tile side for large images (0 = whole image, else a multiple of 4 >= 32)");
        tileOverlap = new IntParam(this, "tileOverlap", "overlap of neighbouring tiles, < tile / 2");
        outputFormat = new Param<>(this, "outputFormat", "png or jpg");
        batchSize = new IntParam(this, "batchSize", "inputs taken at a time, same-size ones stylized together; 1 = "
                + "exactly the pixels of StyleModel.stylize, more = faster for small images, a few pixels may differ by "
                + "one level");
        inputCol = new Param<>(this, "inputCol", "binary column of encoded images");
        outputCol = new Param<>(this, "outputCol", "binary column of the stylized, encoded images");
        errorCol = new Param<>(this, "errorCol", "string column: why an image failed, null when it worked");
        StyleModel.Options d = StyleModel.Options.DEFAULT;
        setDefault(strength, d.strength());
        setDefault(preserveColors, d.preserveColors());
        setDefault(maxSize, d.maxSize());
        setDefault(tile, d.tileSize());
        setDefault(tileOverlap, d.tileOverlap());
        setDefault(outputFormat, "png");
        setDefault(batchSize, StylizeSettings.DEFAULT_BATCH_SIZE);
        setDefault(inputCol, "content");
        setDefault(outputCol, "stylized");
        setDefault(errorCol, "error");
    }

    // ------------------------------------------------------------------------------------------ params

    /** The model file (no default). */
    public Param<String> model() {
        return model;
    }

    /** Style strength in [0, 1] (default 1). */
    public DoubleParam strength() {
        return strength;
    }

    /** Keep the photo's colours (default false). */
    public BooleanParam preserveColors() {
        return preserveColors;
    }

    /** Longest side before stylizing, 0 = no limit (default 0). */
    public IntParam maxSize() {
        return maxSize;
    }

    /** Tile side, 0 = whole image (default 0). */
    public IntParam tile() {
        return tile;
    }

    /** Tile overlap (default 32). */
    public IntParam tileOverlap() {
        return tileOverlap;
    }

    /** Output encoding, png or jpg (default png). */
    public Param<String> outputFormat() {
        return outputFormat;
    }

    /** Inputs taken at a time, same-size ones stylized together (default 1: exact pixels; see StylizeSettings). */
    public IntParam batchSize() {
        return batchSize;
    }

    /** Input column (default {@code content}). */
    public Param<String> inputCol() {
        return inputCol;
    }

    /** Output column (default {@code stylized}). */
    public Param<String> outputCol() {
        return outputCol;
    }

    /** Error column (default {@code error}). */
    public Param<String> errorCol() {
        return errorCol;
    }

    /** Sets the model file. */
    public StyleTransformer setModel(String v) {
        return setChecked(model, v);
    }

    /** Sets the strength, in [0, 1]. */
    public StyleTransformer setStrength(double v) {
        return setChecked(strength, (Object) v);
    }

    /** Sets whether the photo's colours are kept. */
    public StyleTransformer setPreserveColors(boolean v) {
        return setChecked(preserveColors, (Object) v);
    }

    /** Sets the size limit (0 = none). */
    public StyleTransformer setMaxSize(int v) {
        return setChecked(maxSize, (Object) v);
    }

    /** Sets the tile side (0 = off) and the overlap. */
    public StyleTransformer setTile(int size, int overlap) {
        new StyleModel.Options(1, false, 0, size, overlap); // validates before anything is set
        set(tile, (Object) size);
        set(tileOverlap, (Object) overlap);
        return this;
    }

    /** Sets the output format, png or jpg. */
    public StyleTransformer setOutputFormat(String v) {
        OutputFormat.parse(v);
        set(outputFormat, v);
        return this;
    }

    /** Sets the batch size (>= 1). */
    public StyleTransformer setBatchSize(int v) {
        return setChecked(batchSize, (Object) v);
    }

    /** Sets the input column. */
    public StyleTransformer setInputCol(String v) {
        set(inputCol, v);
        return this;
    }

    /** Sets the output column. */
    public StyleTransformer setOutputCol(String v) {
        set(outputCol, v);
        return this;
    }

    /** Sets the error column. */
    public StyleTransformer setErrorCol(String v) {
        set(errorCol, v);
        return this;
    }

    /** Sets a param and validates all values, so a bad value fails in its setter and is not kept. */
    private <T> StyleTransformer setChecked(Param<T> p, T v) {
        scala.Option<T> old = get(p);
        set(p, v);
        try {
            settings(isDefined(model) ? getOrDefault(model) : "unset");
        } catch (IllegalArgumentException e) {
            if (old.isDefined()) {
                set(p, old.get());
            } else {
                clear(p);
            }
            throw e;
        }
        return this;
    }

    /**
     * Returns the settings these params stand for.
     *
     * @throws IllegalArgumentException when the model is unset or a value is out of range
     */
    public StylizeSettings settings() {
        if (!isDefined(model)) {
            throw new IllegalArgumentException("model must be set: call setModel(path) with a model file written by "
                    + "'style-gan train'");
        }
        return settings(getOrDefault(model));
    }

    private StylizeSettings settings(String modelPath) {
        return new StylizeSettings(modelPath, (Double) getOrDefault(strength), (Boolean) getOrDefault(preserveColors),
                (Integer) getOrDefault(maxSize), (Integer) getOrDefault(tile), (Integer) getOrDefault(tileOverlap),
                OutputFormat.parse(getOrDefault(outputFormat)), (Integer) getOrDefault(batchSize));
    }

    // ------------------------------------------------------------------------------------------ Transformer

    @Override
    public StructType transformSchema(StructType schema) {
        settings();
        String in = getOrDefault(inputCol);
        if (!Arrays.asList(schema.fieldNames()).contains(in)) {
            throw new IllegalArgumentException("inputCol '" + in + "' is not a column of " + schema.simpleString()
                    + "; read images with spark.read().format(\"binaryFile\") or call setInputCol");
        }
        if (!schema.apply(in).dataType().equals(DataTypes.BinaryType)) {
            throw new IllegalArgumentException("inputCol '" + in + "' must be binary (encoded image bytes), found "
                    + schema.apply(in).dataType().simpleString());
        }
        for (Param<String> p : List.of(outputCol, errorCol)) {
            if (Arrays.asList(schema.fieldNames()).contains(getOrDefault(p))) {
                throw new IllegalArgumentException(p.name() + " '" + getOrDefault(p) + "' already exists in the "
                        + "input; choose another name with set" + Character.toUpperCase(p.name().charAt(0))
                        + p.name().substring(1));
            }
        }
        return schema.add(getOrDefault(outputCol), DataTypes.BinaryType, true)
                .add(getOrDefault(errorCol), DataTypes.StringType, true);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        int column = dataset.schema().fieldIndex(getOrDefault(inputCol));
        return dataset.toDF().mapPartitions(new StylizeRows(settings(), column), Encoders.row(out));
    }

    @Override
    public StyleTransformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The per-partition function: holds only the settings, so a task ships a few hundred bytes. */
    private static final class StylizeRows implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final StylizeSettings settings;
        private final int column;

        StylizeRows(StylizeSettings settings, int column) {
            this.settings = settings;
            this.column = column;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            PartitionStylizer stylizer = new PartitionStylizer(settings);
            return PartitionStylizer.chunked(rows, settings.batchSize(), chunk -> {
                List<PartitionStylizer.Input<Row>> inputs = new ArrayList<>(chunk.size());
                for (Row r : chunk) {
                    inputs.add(new PartitionStylizer.Input<>(r, () -> r.isNullAt(column) ? null : r.getAs(column)));
                }
                List<Row> rowsOut = new ArrayList<>(chunk.size());
                for (PartitionStylizer.Result<Row> res : stylizer.process(inputs)) {
                    Row r = res.key();
                    Object[] values = new Object[r.length() + 2];
                    for (int i = 0; i < r.length(); i++) {
                        values[i] = r.get(i);
                    }
                    values[r.length()] = res.encoded();
                    values[r.length() + 1] = res.error();
                    rowsOut.add(RowFactory.create(values));
                }
                return rowsOut;
            });
        }
    }
}
