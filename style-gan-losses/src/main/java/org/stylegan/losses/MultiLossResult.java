package org.stylegan.losses;

import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A loss over several inputs (for example one Gram term per feature layer): total value, the
 * per-input values and one gradient per input.
 *
 * <p>{@code value} is the weighted sum {@code sum_l w_l * layerValues[l]}; {@code gradients.get(l)}
 * is dL/d(input l) of that weighted sum (the layer weight is already applied), same shape and data
 * type as input l. {@code layerValues} are the unweighted per-layer values, for logging.
 *
 * @param value total (weighted) loss
 * @param layerValues unweighted value of each input's term, in input order
 * @param gradients dL/d(input l) of the total, in input order
 */
public record MultiLossResult(double value, List<Double> layerValues, List<INDArray> gradients) {

    /**
     * Creates a result with immutable copies of the lists.
     *
     * @param value total (weighted) loss
     * @param layerValues unweighted per-input values
     * @param gradients per-input gradients, same count as layerValues
     */
    public MultiLossResult {
        layerValues = List.copyOf(Objects.requireNonNull(layerValues, "layerValues"));
        gradients = List.copyOf(Objects.requireNonNull(gradients, "gradients"));
        if (layerValues.size() != gradients.size()) {
            throw new IllegalArgumentException("layerValues has " + layerValues.size()
                    + " entries but gradients has " + gradients.size() + "; they must match");
        }
    }

    /**
     * Returns the gradient for input {@code index}.
     *
     * @param index input position
     * @return dL/d(input index)
     */
    public INDArray gradient(int index) {
        return gradients.get(index);
    }
}
