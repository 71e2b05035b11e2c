package org.lstm4j.nn;

import java.util.Objects;
import org.lstm4j.ops.Dropouts;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/** Zeroes each element with probability p in training and scales the rest by 1/(1-p); identity in eval. */
public class Dropout extends Module {
    private final float p;
    /** Draws the masks; null means the process-wide default at each call. */
    private final Generator generator;

    public Dropout(double p) {
        this(p, null);
    }

    /** With the generator that draws the masks (null: the process-wide default). */
    public Dropout(double p, Generator generator) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        this.p = (float) p;
        this.generator = generator;
    }

    public Tensor forward(Tensor input) {
        Objects.requireNonNull(input, "input");
        return Dropouts.dropout(input, p, isTraining(), generator != null ? generator : Generator.getDefault());
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
