package org.stylegan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.stylegan.core.nn.CustomOps;
import org.stylegan.losses.AdversarialLoss;
import org.stylegan.losses.LossResult;
import org.stylegan.core.net.Discriminator;
import org.stylegan.core.internal.TrainableGraph;
import org.stylegan.core.internal.GradientCopy;

/** A training step's copies can be freed at once: gradient copies, input gradients, custom-op contexts. */
class StepMemoryTest {
    private static TrainableGraph.Backward discriminatorBackward(Discriminator d) {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64).muli(2).subi(1);
        INDArray logits = d.engine().forward(x, true);
        LossResult loss = AdversarialLoss.bce().compute(logits, true);
        return d.engine().backward(loss.gradient());
    }

    @Test
    void dl4jGradientViewCannotBeClosedWhichIsWhyGradientCopyExists() {
        // DL4J 1.0.0-M2.1: Gradient.gradient() reshapes the flat array into a view; closing a view does nothing.
        INDArray flat = Nd4j.rand(DataType.FLOAT, 1, 10);
        DefaultGradient g = new DefaultGradient(flat);
        INDArray view = g.gradient();
        assertThat(view).isNotSameAs(flat);
        assertThat(view.closeable()).isFalse();
        view.close();
        assertThat(flat.wasClosed()).isFalse();
    }

    @Test
    void backwardReturnsACopyThatCloseFreesWithItsInputGradient() {
        Discriminator d = Discriminator.builder().build();
        TrainableGraph.Backward b = discriminatorBackward(d);
        assertThat(b.paramGradient()).isInstanceOf(GradientCopy.class);
        GradientCopy copy = (GradientCopy) b.paramGradient();
        // Same values as the network's own gradient view, in a separate buffer.
        TestSupport.assertAllClose(copy.flat().reshape(copy.flat().length()),
                d.graph().getGradientsViewArray().reshape(copy.flat().length()), 0, 0);
        for (Map.Entry<String, INDArray> e : copy.gradientForVariable().entrySet()) {
            TestSupport.assertAllClose(e.getValue(), d.graph().getGradient().getGradientFor(e.getKey()), 0, 0);
        }
        INDArray input = b.inputGradient();
        b.close();
        assertThat(copy.flat().wasClosed()).isTrue();
        assertThat(input.wasClosed()).isTrue();
        b.close(); // idempotent
    }

    @Test
    void parameterGradientIsAGradientCopyThatReleaseFrees() {
        Discriminator d = Discriminator.builder().build();
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 64, 64);
        INDArray logits = d.engine().forward(x, true);
        Gradient g = d.engine().parameterGradient(AdversarialLoss.bce().compute(logits, false).gradient());
        assertThat(g).isInstanceOf(GradientCopy.class);
        GradientCopy.release(g);
        assertThat(((GradientCopy) g).flat().wasClosed()).isTrue();
        GradientCopy.release(g); // idempotent
        GradientCopy.release(null);
    }

    @Test
    void releaseOfAPlainGradientClosesItsOwnArrays() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 3, 3);
        DefaultGradient g = new DefaultGradient();
        g.setGradientFor("W", a);
        GradientCopy.release(g);
        assertThat(a.wasClosed()).isTrue();
    }

    @Test
    void customOpsExecComputesWhatNd4jExecComputes() {
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 9, 9, 4);
        INDArray w = Nd4j.rand(DataType.FLOAT, 3, 3, 4, 5);
        INDArray b = Nd4j.rand(DataType.FLOAT, 5);
        int[] args = {3, 3, 1, 1, 1, 1, 1, 1, 0, 1, 0}; // kH kW sH sW pH pW dH dW same NHWC HWIO
        INDArray viaNd4j = Nd4j.create(DataType.FLOAT, 2, 9, 9, 5);
        INDArray viaOurs = Nd4j.create(DataType.FLOAT, 2, 9, 9, 5);
        Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w, b).addOutputs(viaNd4j).addIntegerArguments(args)
                .build());
        INDArray[] out = CustomOps.exec(DynamicCustomOp.builder("conv2d").addInputs(x, w, b).addOutputs(viaOurs)
                .addIntegerArguments(args).build());
        assertThat(out[0]).isSameAs(viaOurs);
        TestSupport.assertAllClose(viaOurs, viaNd4j, 0, 0);
        // Ops whose outputs ND4J creates go through Nd4j.exec unchanged.
        INDArray[] created = CustomOps.exec(DynamicCustomOp.builder("multiply").addInputs(x, x).build());
        TestSupport.assertAllClose(created[0], x.mul(x), 1e-7, 0);
    }
}
