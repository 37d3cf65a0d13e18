package org.stylegan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.stylegan.core.train.EvaluationEvent;
import org.stylegan.core.train.TrainFixtures;
import org.stylegan.core.train.TrainingContext;
import org.stylegan.core.train.TrainingListener;
import org.stylegan.io.Images;

/** StyleTransfer.fit with evaluations returns the generator of the best-scoring evaluation, and says which. */
class StyleTransferSelectionTest {
    @TempDir
    Path tmp;

    @Test
    void fitReturnsTheBestEvaluatedGenerator() throws Exception {
        Path content = TrainFixtures.writeContent(java.nio.file.Files.createDirectories(tmp.resolve("content")), 3, 40);
        Path style = tmp.resolve("style.png");
        Images.writePng(TrainFixtures.styleImage(48), style);
        Path heldOut = tmp.resolve("held-out.png");
        Images.writePng(TrainFixtures.contentImages(5, 44).get(4), heldOut);
        INDArray probe = Images.toTensor(TrainFixtures.contentImages(5, 32).get(3));
        Map<Integer, INDArray> outputs = new LinkedHashMap<>();
        TrainingListener recorder = new TrainingListener() {
            private TrainingContext context;

            @Override
            public void onStart(TrainingContext c) {
                context = c;
            }

            @Override
            public void onEvaluation(EvaluationEvent e) {
                outputs.put(e.step(), context.stylize(probe).dup());
            }
        };
        StyleModel model = StyleTransfer.builder().config(TrainFixtures.tiny().steps(6).gamma(0).evaluateEvery(2)
                .build()).heldOut(heldOut).listeners(recorder).build().fit(content, style);
        EvaluationEvent best = model.history().best().orElseThrow();
        assertThat(model.history().evaluations()).extracting(EvaluationEvent::step).containsExactly(2, 4, 6);
        assertThat(outputs).containsKeys(2, 4, 6);
        TestSupport.assertAllClose(model.stylize(probe), outputs.get(best.step()), 1e-5, 1e-6);
    }
}
