package org.stylegan.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Stylizes a folder (or glob) of images into another folder on Spark:
 * {@code StylizeJob --model M --input DIR_OR_GLOB --output DIR [--format png|jpg]}, with {@code spark-submit} on a
 * cluster or in local mode (a plain {@code java} run uses {@code local[*]}).
 *
 * <ul>
 *   <li>Names are deterministic: {@code <input relative to the input folder>.<format>}, e.g. {@code a/cat.jpg} becomes
 *       {@code a/cat.jpg.png}; keeping the input's extension means {@code cat.jpg} and {@code cat.png} never collide.
 *   <li>An image already in the output is skipped without reading its input, so a rerun resumes where a stopped one
 *       ended, and a retried task does not redo what its failed attempt wrote.
 *   <li>Each image is written to a temporary file and renamed ({@link HadoopOutputStore}): no partial image under an
 *       image's name, whatever happens to a task.
 *   <li>A Parquet manifest, {@code DIR/_manifest/run=<UTC time>/}, has one row per input: {@link #MANIFEST_SCHEMA}.
 *       Broken or odd images get status {@code failed} and the reason; they never fail the job.
 * </ul>
 *
 * <p>Only one job may write an output folder at a time.
 */
public final class StylizeJob {
    /** Columns of the input listing. */
    static final StructType INPUT_SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("length", DataTypes.LongType, false);
    /** Manifest columns: input and output URIs, status, time spent, the reason of a failure, output size. */
    public static final StructType MANIFEST_SCHEMA = new StructType()
            .add("input", DataTypes.StringType, false)
            .add("output", DataTypes.StringType, true)
            .add("status", DataTypes.StringType, false)
            .add("millis", DataTypes.LongType, false)
            .add("error", DataTypes.StringType, true)
            .add("width", DataTypes.IntegerType, true)
            .add("height", DataTypes.IntegerType, true);
    /** Status of an image stylized and stored by this run. */
    public static final String WRITTEN = "written";
    /** Status of an image whose output was already there (an earlier run, or an earlier attempt of the task). */
    public static final String SKIPPED = "skipped";
    /** Status of an image that could not be read, decoded or stylized; the manifest's error says why. */
    public static final String FAILED = "failed";
    /** The manifest folder, under the output folder. */
    public static final String MANIFEST_DIR = "_manifest";
    /** Image file extensions the job takes (the others are left out, as the style-gan CLI does). */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");
    /** Inputs larger than this are recorded as failed instead of read into memory. */
    public static final long MAX_INPUT_BYTES = 256L << 20;

    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'",
            Locale.ROOT);

    /**
     * What a run did.
     *
     * @param manifest the manifest folder of this run
     * @param written  images stylized and stored
     * @param skipped  images whose output was already there
     * @param failed   images that could not be stylized (see the manifest)
     * @param seconds  wall time of the run
     */
    public record Result(String manifest, long written, long skipped, long failed, double seconds) {
        /** Returns all inputs. */
        public long total() {
            return written + skipped + failed;
        }
    }

    private StylizeJob() {
    }

    /**
     * Entry point for {@code spark-submit}. Exit code 0 when the job ran (even with failed images: see the manifest),
     * 2 for bad usage (an option, a missing input or model), 1 when the job failed.
     */
    public static void main(String[] args) {
        JobConfig config;
        try {
            config = JobConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("style-gan-spark: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (config == null) {
            System.out.println(JobConfig.USAGE);
            return;
        }
        SparkSession.Builder builder = SparkSession.builder().appName("style-gan stylize");
        if (!new SparkConf().contains("spark.master")) {
            builder.master("local[*]"); // a plain java run; spark-submit always sets the master
        }
        SparkSession spark = builder.getOrCreate();
        int code = 0;
        try {
            Result r = run(spark, config);
            System.out.printf(Locale.ROOT, "Stylized %d image(s), skipped %d already written, %d failed, in %.1f s "
                    + "(%.2f images/s); manifest: %s%n", r.written(), r.skipped(), r.failed(), r.seconds(),
                    r.written() / Math.max(r.seconds(), 1e-9), r.manifest());
        } catch (IllegalArgumentException e) {
            System.err.println("style-gan-spark: " + e.getMessage());
            code = 2;
        } catch (IOException | RuntimeException e) {
            System.err.println("style-gan-spark: the job failed: " + e);
            code = 1;
        } finally {
            spark.stop();
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the job with a {@link HadoopOutputStore} on the output folder. */
    public static Result run(SparkSession spark, JobConfig config) throws IOException {
        Map<String, String> conf = hadoopConf(spark);
        return run(spark, config, new HadoopOutputStore(qualify(config.output(), conf).toString(), conf));
    }

    /**
     * Runs the job, storing images in {@code store} (the manifest still goes to the output folder).
     *
     * @throws IllegalArgumentException when the input does not exist or matches nothing, the output is inside the
     *                                  input, or the model cannot be found
     */
    public static Result run(SparkSession spark, JobConfig config, OutputStore store) throws IOException {
        long t0 = System.nanoTime();
        Map<String, String> conf = hadoopConf(spark);
        String base = inputBase(config.input(), conf);
        String out = qualify(config.output(), conf).toString();
        if ((out + "/").startsWith(base + "/")) {
            throw new IllegalArgumentException("--output " + out + " is inside the input folder " + base
                    + "; a rerun would stylize the outputs too: choose a folder outside it");
        }
        ModelCache.get(config.settings().model()); // fails fast, on the driver, for a missing or damaged model
        HadoopOutputStore temps = new HadoopOutputStore(out, conf);
        temps.deleteTemporaryFiles(); // left by a run that was killed; only one job writes an output at a time

        // Listed here, not with the binaryFile source: that source drops zero-byte files and names starting with
        // '_' or '.', and every input must get its manifest row. Paths only: the tasks read the images they need.
        List<Row> inputs = listInputs(config.input(), conf);
        int partitions = config.partitions() > 0 ? config.partitions()
                : 3 * spark.sparkContext().defaultParallelism();
        Dataset<Row> files = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(inputs, Math.max(1, Math.min(partitions, inputs.size()))), INPUT_SCHEMA);

        String runId = ZonedDateTime.now(ZoneOffset.UTC).format(RUN_ID);
        String manifest = out + "/" + MANIFEST_DIR + "/run=" + runId;
        files.mapPartitions(new StylizeFiles(config.settings(), base, store, conf), Encoders.row(MANIFEST_SCHEMA))
                .write().mode(SaveMode.ErrorIfExists).parquet(manifest);
        temps.deleteTemporaryFiles();

        // One global aggregate (no groupBy: that would shuffle into spark.sql.shuffle.partitions tasks).
        Row counts = spark.read().parquet(manifest).agg(count("written"), count("skipped"), count("failed")).first();
        return new Result(manifest, longOrZero(counts, 0), longOrZero(counts, 1), longOrZero(counts, 2),
                (System.nanoTime() - t0) / 1e9);
    }

    private static long longOrZero(Row r, int i) {
        return r.isNullAt(i) ? 0 : r.getLong(i); // a sum over no rows is null
    }

    private static Column count(String status) {
        return functions.sum(functions.when(functions.col("status").equalTo(status), 1L).otherwise(0L));
    }

    /** Image files of the input (a folder, recursively; a glob; a file), sorted, hidden files left out. */
    static List<Row> listInputs(String input, Map<String, String> conf) throws IOException {
        Path in = qualify(input, conf);
        FileSystem fs = in.getFileSystem(configuration(conf));
        FileStatus[] roots = isGlob(in) ? fs.globStatus(in) : new FileStatus[] {fs.getFileStatus(in)};
        List<Row> rows = new ArrayList<>();
        for (FileStatus root : roots == null ? new FileStatus[0] : roots) {
            if (root.isFile()) {
                add(rows, root);
                continue;
            }
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(root.getPath(), true);
            while (files.hasNext()) {
                add(rows, files.next());
            }
        }
        rows.sort(java.util.Comparator.comparing(r -> r.getString(0)));
        return rows;
    }

    private static void add(List<Row> rows, FileStatus f) {
        String path = f.getPath().toString();
        if (f.isFile() && isImage(path) && !f.getPath().getName().startsWith(".")) {
            rows.add(RowFactory.create(path, f.getLen()));
        }
    }

    private static boolean isGlob(Path p) {
        return p.toUri().getPath().chars().anyMatch(c -> "*?[]{}".indexOf(c) >= 0);
    }

    /** The output name of an input: its path relative to the input folder, plus the format's extension. */
    static String outputName(String input, String base, OutputFormat format) {
        String rel = input.startsWith(base + "/") ? input.substring(base.length() + 1) : new Path(input).getName();
        return rel + "." + format.extension();
    }

    static boolean isImage(String path) {
        String n = new Path(path).getName().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1));
    }

    /** The folder output names are relative to: the input folder, a glob's fixed leading folders, a file's folder. */
    private static String inputBase(String input, Map<String, String> conf) throws IOException {
        Path in = qualify(input, conf);
        FileSystem fs = in.getFileSystem(configuration(conf));
        if (isGlob(in)) {
            FileStatus[] matches = fs.globStatus(in);
            if (matches == null || matches.length == 0) {
                throw new IllegalArgumentException("--input " + input + " matches no file; check the pattern");
            }
            Path base = in;
            while (base.getParent() != null && isGlob(base)) {
                base = base.getParent();
            }
            return base.toString();
        }
        if (!fs.exists(in)) {
            throw new IllegalArgumentException("--input " + input + " does not exist; give a folder or a glob of "
                    + "images");
        }
        return fs.getFileStatus(in).isDirectory() ? in.toString() : in.getParent().toString();
    }

    private static Path qualify(String location, Map<String, String> conf) throws IOException {
        Path p = new Path(location);
        return p.getFileSystem(configuration(conf)).makeQualified(p);
    }

    private static Map<String, String> hadoopConf(SparkSession spark) {
        Map<String, String> m = new HashMap<>();
        for (Map.Entry<String, String> e : spark.sparkContext().hadoopConfiguration()) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    static Configuration configuration(Map<String, String> conf) {
        Configuration c = new Configuration();
        conf.forEach(c::set);
        return c;
    }

    /** The per-partition work: skip, read, stylize in chunks, store, and one manifest row per input. */
    private static final class StylizeFiles implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final StylizeSettings settings;
        private final String base;
        private final OutputStore store;
        private final Map<String, String> conf;

        StylizeFiles(StylizeSettings settings, String base, OutputStore store, Map<String, String> conf) {
            this.settings = settings;
            this.base = base;
            this.store = store;
            this.conf = Map.copyOf(conf);
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            PartitionStylizer stylizer = new PartitionStylizer(settings);
            Configuration hadoop = configuration(conf);
            return PartitionStylizer.chunked(rows, settings.batchSize(), chunk -> {
                try {
                    return process(chunk, stylizer, hadoop);
                } catch (IOException e) {
                    // The store or the file system failed, not an image: the task fails and Spark retries it.
                    throw new UncheckedIOException(e);
                }
            });
        }

        private List<Row> process(List<Row> chunk, PartitionStylizer stylizer, Configuration hadoop)
                throws IOException {
            List<Row> manifest = new ArrayList<>(chunk.size());
            List<PartitionStylizer.Input<String>> todo = new ArrayList<>();
            for (Row r : chunk) {
                long t0 = System.nanoTime();
                String input = r.getString(0);
                long length = r.getLong(1);
                String name = outputName(input, base, settings.format());
                if (store.exists(name)) {
                    manifest.add(RowFactory.create(input, store.location(name), SKIPPED, millis(t0), null, null,
                            null));
                } else if (length > MAX_INPUT_BYTES) {
                    manifest.add(RowFactory.create(input, null, FAILED, millis(t0), "file is " + length
                            + " bytes, over the limit of " + MAX_INPUT_BYTES + " for one image", null, null));
                } else {
                    todo.add(new PartitionStylizer.Input<>(input, () -> read(input, hadoop)));
                }
            }
            for (PartitionStylizer.Result<String> res : stylizer.process(todo)) {
                String input = res.key();
                if (!res.ok()) {
                    manifest.add(RowFactory.create(input, null, FAILED, res.millis(), res.error(), null, null));
                    continue;
                }
                long t0 = System.nanoTime();
                String name = outputName(input, base, settings.format());
                boolean stored = store.write(name, res.encoded());
                manifest.add(RowFactory.create(input, store.location(name), stored ? WRITTEN : SKIPPED,
                        res.millis() + millis(t0), null, res.width(), res.height()));
            }
            return manifest;
        }

        private static byte[] read(String input, Configuration hadoop) throws IOException {
            Path p = new Path(input);
            try (InputStream in = p.getFileSystem(hadoop).open(p)) {
                return in.readAllBytes();
            }
        }

        private static long millis(long t0) {
            return (System.nanoTime() - t0) / 1_000_000;
        }
    }

}
