package org.lstm4j.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FlopCountTest {
    private static WorkloadSpec spec(String name) {
        return Workloads.byName(name).orElseThrow();
    }

    @Test
    void charlmForwardByHand() {
        // B·T = 64·100 = 6400 tokens, H = 256, 4 gates.
        long layer0 = 2L * 4 * 256 * (65 + 256) * 6400;   // 4,207,411,200
        long layer1 = 2L * 4 * 256 * (256 + 256) * 6400;  // 6,710,886,400
        long head = 2L * 256 * 65 * 6400;                 //   212,992,000
        assertEquals(4_207_411_200L + 6_710_886_400L, FlopCount.recurrentForward(spec("charlm")));
        assertEquals(layer0 + layer1, FlopCount.recurrentForward(spec("charlm")));
        assertEquals(head, FlopCount.headForward(spec("charlm")));
        assertEquals(11_131_289_600L, FlopCount.forward(spec("charlm")));
        assertEquals(3 * 11_131_289_600L, FlopCount.perStep(spec("charlm")));
    }

    @Test
    void gruHasThreeGatesAndBidirectionalDoublesTheUpperInput() {
        long tokens = 100 * 28;
        assertEquals(2L * 3 * 128 * (28 + 128) * tokens + 2L * 3 * 128 * (128 + 128) * tokens,
                FlopCount.recurrentForward(spec("rows-gru")));
        // Two directions per layer; layer 1 reads both directions' outputs (2H wide); head reads 2H on B rows.
        assertEquals(2 * (2L * 4 * 128 * (28 + 128) * tokens) + 2 * (2L * 4 * 128 * (256 + 128) * tokens),
                FlopCount.recurrentForward(spec("rows-bi")));
        assertEquals(2L * 256 * 10 * 100, FlopCount.headForward(spec("rows-bi")));
    }

    @Test
    void inferenceCountsTheForwardPassOnly() {
        assertEquals(2L * 4 * 512 * (256 + 512) * 32 * 200, FlopCount.perStep(spec("infer-large")));
        assertEquals(2L * 4 * 256 * (65 + 256) + 2L * 4 * 256 * 512, FlopCount.perStep(spec("stream")));
    }
}
