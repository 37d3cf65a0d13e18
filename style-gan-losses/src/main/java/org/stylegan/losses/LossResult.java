package org.stylegan.losses;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss value together with its gradient dL/d(input).
 *
 * <p>The gradient has the shape and data type of the input it is taken with respect to, so a
 * trainer can scale it by the term's weight, add it to other gradients of the same input and
 * backpropagate once. The gradient is a fresh array owned by the caller: scaling it in place is
 * allowed and touches no loss input.
 *
 * @param value the scalar loss, reduced by batch mean
 * @param gradient dL/d(input), same shape as the input
 */
public record LossResult(double value, INDArray gradient) {

    /**
     * Creates a result; the gradient is required.
     *
     * @param value the scalar loss
     * @param gradient dL/d(input)
     */
    public LossResult {
        Objects.requireNonNull(gradient, "gradient");
    }

    /**
     * Returns this result scaled by {@code weight}: value * weight and a new gradient array
     * gradient * weight (this result is left unchanged).
     *
     * @param weight finite scale factor
     * @return the scaled result
     */
    public LossResult scaled(double weight) {
        Checks.finite("weight", weight);
        return new LossResult(value * weight, gradient.mul(weight));
    }
}
