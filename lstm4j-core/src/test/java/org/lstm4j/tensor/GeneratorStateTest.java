package org.lstm4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GeneratorStateTest {

    private static float[] draws(Generator g, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            // Mix uniform and normal draws so the cached Box–Muller normal is part of the state.
            out[i] = i % 3 == 0 ? g.normal() : g.nextFloat();
        }
        return out;
    }

    @Test
    void restoredStateRepeatsTheStreamIncludingTheSpareNormal() {
        Generator g = new Generator(42);
        g.normal(); // leaves a spare normal cached
        Generator.State saved = g.getState();
        assertTrue(saved.hasSpareNormal());
        float[] first = draws(g, 50);
        g.setState(saved);
        assertArrayEquals(first, draws(g, 50));

        Generator other = new Generator(7);
        other.setState(Generator.State.fromInts(saved.toInts(), "test"));
        assertArrayEquals(first, draws(other, 50));
    }

    @Test
    void badStatesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Generator.State.fromInts(new int[] {1, 2, 3}, "ckpt/state.json"));
        assertTrue(e.getMessage().contains("ckpt/state.json") && e.getMessage().contains("6 integers, got 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Generator.State.fromInts(new int[] {0, 0, 0, 0, 0, 0}, "x"));
        assertThrows(IllegalArgumentException.class, () -> Generator.State.fromInts(new int[] {1, 0, 0, 0, 2, 0}, "x"));
        assertEquals(6, new Generator(1).getState().toInts().length);
    }

    @org.junit.jupiter.api.Test
    void fillFloatsDrawsExactlyWhatNextFloatDrawsOneByOne() {
        Generator one = new Generator(123);
        Generator bulk = new Generator(123);
        float[] expected = new float[1000];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = one.nextFloat();
        }
        float[] drawn = new float[1000];
        bulk.fillFloats(drawn);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, drawn, 0f);
        // And the state after it is the same: the next draws agree too.
        org.junit.jupiter.api.Assertions.assertEquals(one.nextInt(), bulk.nextInt());
        org.junit.jupiter.api.Assertions.assertEquals(one.getState(), bulk.getState());
    }
}
