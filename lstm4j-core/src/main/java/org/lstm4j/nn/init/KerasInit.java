package org.lstm4j.nn.init;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lstm4j.nn.Embedding;
import org.lstm4j.nn.GRU;
import org.lstm4j.nn.GRUCell;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.LSTMCell;
import org.lstm4j.nn.Linear;
import org.lstm4j.nn.Module;
import org.lstm4j.nn.RNN;
import org.lstm4j.nn.RNNBase;
import org.lstm4j.nn.RNNCell;
import org.lstm4j.nn.RNNCellBase;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/**
 * Re-initialises a model's parameters the way Keras initialises the corresponding layers, replacing
 * PyTorch's U(−1/√H, 1/√H) defaults (which train some recurrent models noticeably slower).
 *
 * <p>Per owning module type:
 * <ul>
 *   <li>{@link LSTM}, {@link GRU}, {@link RNN} and their cells: every {@code weight_ih*} Glorot-uniform over
 *       the whole (G·H, I) matrix (Keras's kernel is its transpose (I, G·H), with the same fans); every
 *       {@code weight_hh*} orthogonal over the whole (G·H, H) matrix, so it has orthonormal columns (Keras's
 *       recurrent kernel (H, G·H) gets orthonormal rows, and ours is its transpose); {@code weight_hr*}
 *       (LSTM projection) Glorot-uniform; biases zero, except that for LSTM Keras's {@code unit_forget_bias}
 *       puts 1 in the forget gate's block (PyTorch's gate order i, f, g, o: rows H..2H). Keras has one bias
 *       where PyTorch has two that are added, so the 1 goes into {@code bias_ih} and {@code bias_hh} stays 0.</li>
 *   <li>{@link Linear} (Keras {@code Dense}): weight Glorot-uniform, bias zero.</li>
 *   <li>{@link Embedding}: U(−0.05, 0.05), Keras's {@code RandomUniform} default for embeddings.</li>
 *   <li>Modules without parameters of their own (containers, dropout): only their children.</li>
 * </ul>
 * Any other module type that has parameters of its own is an error, raised before anything is changed.
 */
public final class KerasInit {
    /** Keras's Embedding initialiser: U(−0.05, 0.05). */
    public static final float EMBEDDING_BOUND = 0.05f;

    /** A recurrent parameter: its kind, then for layers (not cells) {@code _l<layer>[_reverse]}. */
    private static final Pattern RECURRENT_PARAMETER =
            Pattern.compile("(weight_ih|weight_hh|weight_hr|bias_ih|bias_hh)(_l\\d+(?:_reverse)?)?");

    private KerasInit() {}

    /** How one parameter is initialised. */
    private enum Kind { GLOROT, ORTHOGONAL, ZERO, LSTM_FORGET_BIAS, EMBEDDING_UNIFORM }

    /** A parameter (by its dotted name), its initialiser, and for LSTM_FORGET_BIAS the hidden size. */
    private record Step(String name, Tensor tensor, Kind kind, int hiddenSize) {}

    /**
     * Re-initialises every parameter of {@code module} and its descendants in place, drawing from
     * {@code gen} in {@link Module#namedParameters()} order: the same seed gives the same weights.
     *
     * @throws IllegalArgumentException if a module of another type has parameters of its own, or a known
     *     module has a parameter it should not; the model is then unchanged
     */
    public static void apply(Module module, Generator gen) {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(gen, "gen");
        List<Step> plan = new ArrayList<>();
        plan(module, "", plan);
        for (Step step : plan) {
            Tensor t = step.tensor();
            switch (step.kind()) {
                case GLOROT -> Init.xavierUniform(t, gen);
                case ORTHOGONAL -> Init.orthogonal(t, gen);
                case ZERO -> Init.zeros(t);
                case LSTM_FORGET_BIAS -> {
                    Init.zeros(t);
                    Arrays.fill(t.data(), step.hiddenSize(), 2 * step.hiddenSize(), 1f);
                }
                case EMBEDDING_UNIFORM -> Init.uniform(t, -EMBEDDING_BOUND, EMBEDDING_BOUND, gen);
                default -> throw new AssertionError(step.kind());
            }
        }
    }

    /** Appends the steps for {@code module}'s own parameters, then its children's, in namedParameters() order. */
    private static void plan(Module module, String prefix, List<Step> plan) {
        Map<String, Module> children = module.children();
        Map<String, Tensor> own = ownParameters(module, children);
        if (module instanceof RNNBase rnn) {
            planRecurrent(module, own, prefix, gateBlocks(module, prefix), rnn.hiddenSize(), true, plan);
        } else if (module instanceof RNNCellBase cell) {
            planRecurrent(module, own, prefix, gateBlocks(module, prefix), cell.hiddenSize(), false, plan);
        } else if (module instanceof Linear) {
            for (Map.Entry<String, Tensor> p : own.entrySet()) {
                Kind kind = switch (p.getKey()) {
                    case "weight" -> Kind.GLOROT;
                    case "bias" -> Kind.ZERO;
                    default -> throw unexpected(module, prefix, p.getKey());
                };
                plan.add(new Step(prefix + p.getKey(), p.getValue(), kind, 0));
            }
        } else if (module instanceof Embedding) {
            for (Map.Entry<String, Tensor> p : own.entrySet()) {
                if (!p.getKey().equals("weight")) {
                    throw unexpected(module, prefix, p.getKey());
                }
                plan.add(new Step(prefix + p.getKey(), p.getValue(), Kind.EMBEDDING_UNIFORM, 0));
            }
        } else if (!own.isEmpty()) {
            List<String> names = new ArrayList<>();
            own.keySet().forEach(name -> names.add(prefix + name));
            throw new IllegalArgumentException("KerasInit: no Keras initialisation is known for module '"
                    + where(prefix) + "' of type " + module.getClass().getName() + ", which has parameters " + names
                    + "; known types: LSTM, GRU, RNN, LSTMCell, GRUCell, RNNCell, Linear, Embedding (initialise the"
                    + " others with org.lstm4j.nn.init.Init)");
        }
        for (Map.Entry<String, Module> child : children.entrySet()) {
            plan(child.getValue(), prefix + child.getKey() + ".", plan);
        }
    }

    /**
     * One recurrent layer's or cell's parameters: {@code weight_ih}, {@code weight_hh}, {@code bias_ih},
     * {@code bias_hh}, {@code weight_hr}, each with a {@code _l<k>[_reverse]} suffix for layers and none for cells.
     */
    private static void planRecurrent(Module module, Map<String, Tensor> own, String prefix, int gates, int hidden,
            boolean layered, List<Step> plan) {
        for (Map.Entry<String, Tensor> p : own.entrySet()) {
            String name = p.getKey();
            Tensor t = p.getValue();
            Matcher parts = RECURRENT_PARAMETER.matcher(name);
            if (!parts.matches() || (parts.group(2) != null) != layered) {
                throw unexpected(module, prefix, name);
            }
            String base = parts.group(1);
            Kind kind = switch (base) {
                case "weight_ih", "weight_hr" -> Kind.GLOROT;
                case "weight_hh" -> Kind.ORTHOGONAL;
                case "bias_ih" -> gates == 4 ? Kind.LSTM_FORGET_BIAS : Kind.ZERO;
                case "bias_hh" -> Kind.ZERO;
                default -> throw new AssertionError(base);
            };
            boolean gated = !base.equals("weight_hr");
            if (gated && t.size(0) != gates * hidden) {
                throw new IllegalArgumentException("KerasInit: " + prefix + name + " of " + module.getClass().getSimpleName()
                        + " has shape " + Shape.toString(t.shape()) + ", expected " + gates + "·" + hidden + " = "
                        + gates * hidden + " rows");
            }
            plan.add(new Step(prefix + name, t, kind, hidden));
        }
    }

    /** Gate blocks per hidden unit: LSTM 4 (i, f, g, o), GRU 3 (r, z, n), plain RNN 1. */
    private static int gateBlocks(Module module, String prefix) {
        if (module instanceof LSTM || module instanceof LSTMCell) {
            return 4;
        }
        if (module instanceof GRU || module instanceof GRUCell) {
            return 3;
        }
        if (module instanceof RNN || module instanceof RNNCell) {
            return 1;
        }
        throw new IllegalArgumentException("KerasInit: recurrent module '" + where(prefix) + "' of type "
                + module.getClass().getName() + " is not an LSTM, GRU or RNN (or their cells), so its gate layout is unknown");
    }

    /** The module's parameters that are not its children's, under their local names. */
    private static Map<String, Tensor> ownParameters(Module module, Map<String, Module> children) {
        Map<String, Tensor> own = new LinkedHashMap<>(module.namedParameters());
        for (Map.Entry<String, Module> child : children.entrySet()) {
            for (String name : child.getValue().namedParameters().keySet()) {
                own.remove(child.getKey() + "." + name);
            }
        }
        return own;
    }

    private static IllegalArgumentException unexpected(Module module, String prefix, String name) {
        return new IllegalArgumentException("KerasInit: unexpected parameter '" + prefix + name + "' in "
                + module.getClass().getSimpleName() + " '" + where(prefix) + "'; no Keras initialisation is known for it");
    }

    /** The module's dotted path for messages; the root has none. */
    private static String where(String prefix) {
        return prefix.isEmpty() ? "(root)" : prefix.substring(0, prefix.length() - 1);
    }
}
