package org.lstm4j.nn;

import org.lstm4j.ops.Dropouts;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/** Zeroes each element with probability p in training and scales the rest by 1/(1-p); identity in eval. */
public class Dropout extends Module {
    private final float p;

    public Dropout(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        this.p = (float) p;
    }

    public Tensor forward(Tensor input) {
        return Dropouts.dropout(input, p, isTraining(), Generator.getDefault());
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
