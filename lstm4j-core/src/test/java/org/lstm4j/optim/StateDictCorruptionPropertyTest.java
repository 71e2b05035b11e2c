package org.lstm4j.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.lstm4j.tensor.Tensor;

/**
 * Random corruptions of a valid state dict (a value, or one element of a tensor, flipped to NaN, ±Inf, negative or huge; a key renamed; a
 * tensor reshaped; one at a time): each load either succeeds and the next step leaves every weight
 * finite, or is refused with an IllegalArgumentException naming a corrupted key and changes nothing.
 */
class StateDictCorruptionPropertyTest {
    private static final int TRIALS = 400;
    /** Huge but finite: 1e20 squared overflows float32, so it reaches the overflow paths of the updates. */
    private static final float HUGE = 1e20f;

    private static final Map<String, Function<List<Tensor>, Optimizer>> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put("Adam amsgrad", ps -> Adam.builder(ps).lr(0.01).weightDecay(0.01).amsgrad(true).build());
        KINDS.put("AdamW", ps -> AdamW.builder(ps).lr(0.01).build());
        KINDS.put("SGD momentum", ps -> SGD.builder(ps, 0.05).momentum(0.9).dampening(0.1).weightDecay(0.01).build());
        KINDS.put("RMSprop centered",
                ps -> RMSprop.builder(ps).lr(0.01).momentum(0.5).centered(true).weightDecay(0.01).build());
    }

    @TestFactory
    Stream<DynamicTest> everyCorruptionLoadsSafelyOrIsRefusedUnchanged() {
        return KINDS.entrySet().stream().map(kind -> DynamicTest.dynamicTest(kind.getKey(), () -> {
            Optimizer source = LoadChecks.trained(kind.getValue(), 3);
            source.initialLr(); // as a scheduler would: puts initial_lr in the state dict too
            Map<String, Tensor> valid = source.stateDict();
            int loaded = 0;
            int refused = 0;
            for (int trial = 0; trial < TRIALS; trial++) {
                Random rnd = new Random(31L * trial + kind.getKey().hashCode());
                Map<String, Tensor> dict = LoadChecks.copy(valid);
                List<String> what = new ArrayList<>();
                Set<String> keys = new LinkedHashSet<>();
                corrupt(dict, rnd, what, keys);
                String context = kind.getKey() + " trial " + trial + ": " + what;
                if (tryLoad(kind.getValue(), dict, keys, context)) {
                    loaded++;
                } else {
                    refused++;
                }
            }
            // Both outcomes must be common, or the corruptions are not exercising what they claim to.
            assertTrue(loaded > TRIALS / 20 && refused > TRIALS / 2, kind.getKey() + ": " + loaded + " loaded, "
                    + refused + " refused");
        }));
    }

    /** True if the load succeeded (and stepped to finite weights), false if refused (and nothing changed). */
    private static boolean tryLoad(Function<List<Tensor>, Optimizer> kind, Map<String, Tensor> dict, Set<String> keys,
            String context) {
        Optimizer target = LoadChecks.trained(kind, 1);
        Map<String, Tensor> before = target.stateDict();
        Map<String, Double> hyperBefore = target.hyperparameters();
        List<float[]> weightsBefore = LoadChecks.weights(target);
        try {
            target.loadStateDict(dict);
        } catch (IllegalArgumentException e) {
            if (keys.stream().noneMatch(k -> e.getMessage().contains("'" + k + "'"))) {
                fail("refusal should name one of " + keys + ", got '" + e.getMessage() + "' (" + context + ")");
            }
            LoadChecks.assertUnchanged(before, hyperBefore, weightsBefore, target, context);
            return false;
        } catch (RuntimeException e) {
            throw new AssertionError("a corrupted state dict should fail with IllegalArgumentException (" + context + ")",
                    e);
        }
        LoadChecks.assertStepsToFiniteWeights(target, context);
        return true;
    }

    /** Applies one random corruption, describing it in {@code what} and adding the keys it touched. */
    private static void corrupt(Map<String, Tensor> dict, Random rnd, List<String> what, Set<String> keys) {
        List<String> names = new ArrayList<>(dict.keySet());
        String key = names.get(rnd.nextInt(names.size()));
        Tensor t = dict.get(key);
        keys.add(key);
        switch (rnd.nextInt(4)) {
            case 0: { // a hyperparameter's value as a whole, in the form a writer would use for it
                if (key.startsWith("param_groups.")) {
                    double old = t.data()[0]; // near enough; may already be corrupted, so not decoded
                    double v = pick(rnd, Math.abs(old));
                    dict.put(key, Double.isFinite(v) ? StateDicts.encodeDouble(v) : Tensor.scalar((float) v));
                    what.add(key + " " + old + " -> " + v);
                    break;
                }
            } // else falls through: one element of a buffer or step
            case 1: {
                int index = rnd.nextInt(t.numel());
                float old = t.data()[index];
                float v = (float) pick(rnd, Math.abs(old));
                t.data()[index] = v;
                what.add(key + "[" + index + "] " + old + " -> " + v);
                break;
            }
            case 2: {
                String renamed = rename(key, names, rnd);
                dict.put(renamed, dict.remove(key));
                keys.add(renamed);
                what.add("rename " + key + " -> " + renamed);
                break;
            }
            default: {
                int[] shape = reshape(t.shape(), rnd);
                dict.put(key, Tensor.of(t.data(), shape));
                what.add("reshape " + key + " " + java.util.Arrays.toString(t.shape()) + " -> "
                        + java.util.Arrays.toString(shape));
            }
        }
    }

    /** NaN, ±Inf, a negative value (-(|old| + 0.5)) or a huge one. */
    private static double pick(Random rnd, double magnitude) {
        double[] choices = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -magnitude - 0.5, HUGE};
        return choices[rnd.nextInt(choices.length)];
    }

    /** Another name for {@code key}: a non-canonical index, another parameter, a misspelling, or an existing key. */
    private static String rename(String key, List<String> names, Random rnd) {
        String[] parts = key.split("\\.", 3); // state.<i>.<name> or param_groups.0.<name>
        String prefix = parts[0] + ".";
        String index = parts[1];
        String name = parts[2];
        switch (rnd.nextInt(5)) {
            case 0: {
                String[] aliases = {"0" + index, "+" + index, " " + index, "0x" + index, index + " "};
                return prefix + aliases[rnd.nextInt(aliases.length)] + "." + name;
            }
            case 1:
                return key.startsWith("state.") ? "state." + (1 - Integer.parseInt(index)) + "." + name
                        : "param_groups.1." + name;
            case 2:
                return key + "_";
            case 3:
                return prefix + index + "." + name.toUpperCase(java.util.Locale.ROOT);
            default:
                return names.get(rnd.nextInt(names.size())); // may overwrite another entry, or itself
        }
    }

    /** The same elements in another shape (or, for one element, another scalar shape). */
    private static int[] reshape(int[] shape, Random rnd) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        List<int[]> options = new ArrayList<>();
        if (n == 1) {
            options.add(new int[] {});
            options.add(new int[] {1});
            options.add(new int[] {1, 1});
        } else {
            options.add(new int[] {n});
            options.add(new int[] {n, 1});
            options.add(new int[] {1, n});
            if (n % 2 == 0) {
                options.add(new int[] {2, n / 2});
                options.add(new int[] {n / 2, 2});
            }
            int[] withLeadingOne = new int[shape.length + 1];
            withLeadingOne[0] = 1;
            System.arraycopy(shape, 0, withLeadingOne, 1, shape.length);
            options.add(withLeadingOne);
        }
        return options.get(rnd.nextInt(options.size()));
    }
}
