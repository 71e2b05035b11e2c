package org.lstm4j.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.lstm4j.nn.RecurrentOutput;
import org.lstm4j.nn.RecurrentState;
import org.lstm4j.tensor.Tensor;

/**
 * Truncated backpropagation through time: a forward function for the {@link Trainer} that starts each
 * batch from the final state of the previous one, detached, so gradients flow through one batch's steps
 * while the model reads each stream (e.g. of {@link org.lstm4j.data.ParallelStreams}) as one long sequence.
 * The state starts at zeros each epoch.
 *
 * <pre>{@code
 * TruncatedBptt bptt = new TruncatedBptt(model::forward);   // (input, state) -> (logits, h_n, c_n)
 * Trainer.builder(model, bptt, new CrossEntropyLoss(), adam).carriedState(bptt)...
 * }</pre>
 */
public final class TruncatedBptt implements Function<Tensor, Tensor>, CarriedState {
    private static final String H = "h";
    private static final String C = "c";

    /** A recurrent forward pass from a given state (null: zeros) to its outputs and final state. */
    @FunctionalInterface
    public interface StatefulForward {
        RecurrentOutput forward(Tensor input, RecurrentState state);
    }

    private final StatefulForward forward;
    /** The detached final state of the last batch, or null for zeros. */
    private RecurrentState state;

    public TruncatedBptt(StatefulForward forward) {
        this.forward = Objects.requireNonNull(forward, "forward");
    }

    @Override
    public Tensor apply(Tensor input) {
        RecurrentOutput out = forward.forward(input, state);
        state = out.state().detach();
        return out.output();
    }

    /** The carried state, or null right after a reset. */
    public RecurrentState state() {
        return state;
    }

    @Override
    public void reset() {
        state = null;
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (state != null) {
            out.put(H, state.h().copy());
            if (state.c() != null) {
                out.put(C, state.c().copy());
            }
        }
        return out;
    }

    @Override
    public void loadStateDict(Map<String, Tensor> saved) {
        Objects.requireNonNull(saved, "state");
        for (String key : saved.keySet()) {
            if (!key.equals(H) && !key.equals(C)) {
                throw new IllegalArgumentException("carried state: unexpected entry '" + key + "' (expected h, and c for an LSTM)");
            }
        }
        if (saved.isEmpty()) {
            state = null;
            return;
        }
        Tensor h = saved.get(H);
        Tensor c = saved.get(C);
        if (h == null) {
            throw new IllegalArgumentException("carried state: has c but no h");
        }
        if (c != null && !Arrays.equals(c.shape(), h.shape())) {
            throw new IllegalArgumentException("carried state: h is " + Arrays.toString(h.shape()) + " but c is "
                    + Arrays.toString(c.shape()));
        }
        state = new RecurrentState(h.copy(), c == null ? null : c.copy());
    }
}
