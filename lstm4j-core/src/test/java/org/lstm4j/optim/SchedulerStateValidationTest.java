package org.lstm4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.lstm4j.tensor.Tensor;

/**
 * {@link LRScheduler#loadStateDict} checks every entry before it changes anything (it used to cast whatever
 * doubles it found to int), and a refused load leaves the scheduler as it was.
 */
class SchedulerStateValidationTest {
    private static final List<Function<Optimizer, LRScheduler>> KINDS = List.of(
            o -> new StepLR(o, 2, 0.5),
            o -> new CosineAnnealingLR(o, 5, 0.001));

    @Test
    void lastEpochMustBeAWholeNumberFrom0() {
        for (Function<Optimizer, LRScheduler> kind : KINDS) {
            for (double v : new double[] {-1, 2.5, Double.NaN, 1e10, Double.POSITIVE_INFINITY}) {
                refuse(kind, "last_epoch", v, "'last_epoch'", "whole number in [0, 2147483647]");
            }
        }
    }

    @Test
    void stepCountMustBeAWholeNumberFrom1() {
        for (Function<Optimizer, LRScheduler> kind : KINDS) {
            for (double v : new double[] {0, -3, 1.5, 3e9}) {
                refuse(kind, "_step_count", v, "'_step_count'", "whole number in [1, 2147483647]", "got " + v);
            }
        }
    }

    @Test
    void learningRatesMustBeFiniteAndNonNegative() {
        for (Function<Optimizer, LRScheduler> kind : KINDS) {
            for (String key : List.of("_last_lr.0", "base_lrs.0")) {
                for (float v : new float[] {Float.NaN, Float.POSITIVE_INFINITY, -0.1f}) {
                    LRScheduler target = trained(kind);
                    Map<String, Tensor> dict = LoadChecks.copy(target.stateDict());
                    dict.put(key, Tensor.scalar(v));
                    assertRefused(target, dict, "'" + key + "'", "number >= 0 that is finite in float32", "got ");
                }
            }
            refuse(kind, "base_lrs.0", 0.3, "'base_lrs.0'", "this scheduler's base lr 0.1", "got 0.3");
        }
    }

    @Test
    void keysMustBeExactlyTheFourItWrites() {
        for (Function<Optimizer, LRScheduler> kind : KINDS) {
            LRScheduler target = trained(kind);
            Map<String, Tensor> extra = LoadChecks.copy(target.stateDict());
            extra.put("step_size", Tensor.scalar(2f)); // PyTorch's StepLR saves its settings too
            assertRefused(target, extra, "'step_size'", "[last_epoch, _step_count, base_lrs.0, _last_lr.0]");
            Map<String, Tensor> missing = LoadChecks.copy(target.stateDict());
            missing.remove("_step_count");
            assertRefused(target, missing, "'_step_count'");
        }
    }

    @Test
    void entriesMustBeScalars() {
        for (Function<Optimizer, LRScheduler> kind : KINDS) {
            LRScheduler target = trained(kind);
            Map<String, Tensor> twoElements = LoadChecks.copy(target.stateDict());
            twoElements.put("last_epoch", Tensor.of(new float[] {1f, 2f}, 2));
            assertRefused(target, twoElements, "'last_epoch'", "scalar", "got shape [2]");
            Map<String, Tensor> inconsistent = LoadChecks.copy(target.stateDict());
            inconsistent.put("_last_lr.0", Tensor.of(new float[] {0.05f, 0.05f, 0f}, 3));
            assertRefused(target, inconsistent, "'_last_lr.0'", "exact encoding");
        }
    }

    /**
     * 0-d floats, as Python would write them, load like the three-float form (with an lr float32 holds exactly,
     * since the base lr must match to the last bit).
     */
    @Test
    void plainFloatScalarsLoadAndResume() {
        SGD a = new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), 0.25);
        StepLR sa = new StepLR(a, 2, 0.5);
        for (int e = 0; e < 3; e++) {
            sa.step();
        }
        Map<String, Tensor> dict = LoadChecks.copy(sa.stateDict());
        dict.replaceAll((k, t) -> Tensor.scalar(t.data()[0]));
        SGD b = new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), 0.25);
        StepLR sb = new StepLR(b, 2, 0.5);
        sb.loadStateDict(dict);
        assertEquals(3, sb.lastEpoch());
        b.setLr(a.getLr());
        sa.step();
        sb.step();
        assertEquals(a.getLr(), b.getLr(), 0.0);
    }

    @Test
    void countersRefuseToOverflow() {
        LRScheduler s = trained(KINDS.get(0));
        Map<String, Tensor> dict = LoadChecks.copy(s.stateDict());
        dict.put("last_epoch", StateDicts.encodeDouble(Integer.MAX_VALUE));
        s.loadStateDict(dict);
        IllegalStateException e = assertThrows(IllegalStateException.class, s::step);
        assertTrue(e.getMessage().contains("overflow"), e.getMessage());
        assertEquals(Integer.MAX_VALUE, s.lastEpoch(), "a refused step changes nothing");
    }

    // ------------------------------------------------------------ helpers

    private static SGD sgd() {
        return new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), 0.1);
    }

    /** A scheduler a few epochs in. */
    private static LRScheduler trained(Function<Optimizer, LRScheduler> kind) {
        LRScheduler s = kind.apply(sgd());
        for (int e = 0; e < 3; e++) {
            s.step();
        }
        return s;
    }

    private static void refuse(Function<Optimizer, LRScheduler> kind, String key, double value, String... parts) {
        LRScheduler target = trained(kind);
        Map<String, Tensor> dict = LoadChecks.copy(target.stateDict());
        dict.put(key, Double.isFinite(value) ? StateDicts.encodeDouble(value) : Tensor.scalar((float) value));
        assertRefused(target, dict, parts);
    }

    private static void assertRefused(LRScheduler target, Map<String, Tensor> dict, String... parts) {
        Map<String, Tensor> before = target.stateDict();
        double lrBefore = target.optimizer().getLr();
        OptimizerTest.assertMessage(() -> target.loadStateDict(dict), parts);
        Map<String, Tensor> after = target.stateDict();
        assertEquals(before.keySet(), after.keySet());
        for (String k : before.keySet()) {
            assertArrayEquals(before.get(k).data(), after.get(k).data(), k + " changed by a refused load");
        }
        assertEquals(lrBefore, target.optimizer().getLr(), 0.0);
    }
}
