package org.stylegan.core.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.NoOp;
import org.stylegan.core.internal.TrainableGraph;
import org.stylegan.core.internal.FastPath;

/** Loads pretrained DL4J zoo graphs and cuts them down to a feature extractor. */
final class ZooModels {
    private static final String TAP_SUFFIX = "__tap";

    private ZooModels() {
    }

    static FeatureExtractor load(Path file, String contentLayer, String[] styleLayers, double[] means) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(contentLayer, "contentLayer");
        if (styleLayers == null || styleLayers.length == 0) {
            throw new IllegalArgumentException("styleLayers must name at least one layer");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("VGG model file not found: " + file.toAbsolutePath()
                    + "; pass the zip that DL4J's VGG16/VGG19 zoo model downloads (ModelSerializer format)");
        }
        FastPath.ensureEnabled();
        ComputationGraph source;
        try {
            source = ModelSerializer.restoreComputationGraph(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read a DL4J ComputationGraph from " + file
                    + " (a ModelSerializer zip is expected; Keras .h5 needs DL4J's model import and is not"
                    + " supported): " + e.getMessage(), e);
        }
        ComputationGraphConfiguration conf = source.getConfiguration();
        if (conf.getNetworkInputs().size() != 1) {
            throw new IllegalArgumentException("model " + file + " has " + conf.getNetworkInputs().size()
                    + " inputs; a single image input is expected");
        }
        Set<String> wanted = new LinkedHashSet<>();
        wanted.add(contentLayer);
        for (String s : styleLayers) {
            wanted.add(Objects.requireNonNull(s, "style layer"));
        }
        Map<String, GraphVertex> vertices = conf.getVertices();
        for (String t : wanted) {
            if (!vertices.containsKey(t)) {
                throw new IllegalArgumentException("model " + file.getFileName() + " has no layer '" + t
                        + "'; layers: " + layerNames(source));
            }
        }
        // Keep only the ancestors of the taps, in topological order.
        List<String> order = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String t : wanted) {
            visit(t, conf, seen, order);
        }
        String input = conf.getNetworkInputs().get(0);
        GraphBuilder b = new NeuralNetConfiguration.Builder().updater(new NoOp())
                .dataType(conf.getDataType()).graphBuilder().addInputs(input);
        int pools = 0;
        for (String v : order) {
            if (v.equals(input)) {
                continue;
            }
            GraphVertex gv = vertices.get(v).clone();
            if (gv instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof SubsamplingLayer) {
                pools++;
            }
            b.addVertex(v, gv, conf.getVertexInputs().get(v).toArray(new String[0]));
        }
        List<String> taps = new ArrayList<>(wanted);
        List<String> outputs = new ArrayList<>();
        for (String t : taps) {
            b.addLayer(t + TAP_SUFFIX, new ActivationLayer.Builder().activation(Activation.IDENTITY).build(), t);
            outputs.add(t + TAP_SUFFIX);
        }
        b.setOutputs(outputs.toArray(new String[0]));
        TrainableGraph net = new TrainableGraph(b.build(), null, null);
        for (String v : order) {
            if (!v.equals(input) && source.getVertex(v).hasLayer() && source.getLayer(v).numParams() > 0) {
                net.graph().getLayer(v).params().assign(source.getLayer(v).params());
            }
        }
        double[] offset = new double[3];
        for (int c = 0; c < 3; c++) {
            offset[c] = 127.5 - means[c];
        }
        List<String> style = List.of(styleLayers).stream().distinct().toList();
        return FeatureExtractor.of(net, taps, style, contentLayer, pools, 127.5, offset, file);
    }

    private static void visit(String v, ComputationGraphConfiguration conf, Set<String> seen, List<String> order) {
        if (!seen.add(v)) {
            return;
        }
        List<String> inputs = conf.getVertexInputs().get(v);
        if (inputs != null) {
            for (String in : inputs) {
                visit(in, conf, seen, order);
            }
        }
        order.add(v);
    }

    private static List<String> layerNames(ComputationGraph g) {
        List<String> names = new ArrayList<>();
        for (org.deeplearning4j.nn.graph.vertex.GraphVertex v : g.getVertices()) {
            if (v.hasLayer()) {
                names.add(v.getVertexName());
            }
        }
        return names;
    }
}
