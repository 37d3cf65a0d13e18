package org.stylegan.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a libnd4j custom op whose outputs the caller supplies, like {@code Nd4j.exec(CustomOp)}, but releases the
 * op context's references to the arrays as soon as the op returns.
 *
 * <p>Why: in ND4J 1.0.0-M2.1 {@code Nd4j.exec(CustomOp)} runs every op through a fresh native op context whose
 * {@code close()} does nothing; the native context, and with it a reference to every input and output buffer, lives
 * until the garbage collector finalizes the Java wrapper. Buffers a network frees after each step (gradient copies,
 * pass temporaries) then keep their memory until the next GC, the process grows by tens of MB per training step, and
 * every fresh block costs its page faults again (the discriminator step at batch 4 took 10,000-20,000 minor faults
 * and 20-40% more time between collections; none right after one). {@code purge()} drops the references at once.
 *
 * <p>Limits: unlike {@code Nd4j.exec}, this does not re-read the outputs' native pointers after the op (ND4J's
 * {@code actualizePointerAndIndexer}) and does not hand the op ND4J's random generator state. Use it only for
 * deterministic ops that write preallocated outputs of the right shape, as every caller in this library does; a
 * random op, or one that may resize or replace its output, belongs with {@code Nd4j.exec}.
 */
public final class CustomOps {
    private CustomOps() {
    }

    /** Executes {@code op} (outputs already added) and returns its outputs. */
    public static INDArray[] exec(CustomOp op) {
        if (op.numOutputArguments() == 0) {
            return Nd4j.exec(op); // ND4J creates the outputs; nothing of ours to release
        }
        OpExecutioner ex = Nd4j.getExecutioner();
        OpContext ctx = ex.buildContext();
        try {
            ctx.markInplace(op.isInplaceCall());
            ctx.setInputArrays(op.inputArguments());
            ctx.setOutputArrays(op.outputArguments());
            ctx.setBArguments(op.bArgs());
            ctx.setIArguments(op.iArgs());
            ctx.setTArguments(op.tArgs());
            ctx.setDArguments(op.dArgs());
            return ex.exec(op, ctx);
        } finally {
            ctx.purge();
        }
    }
}
