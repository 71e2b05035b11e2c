package org.lstm4j.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.lstm4j.train.StepEvent;

class ProgressListenerTest {

    @Test
    void inALogItPrintsPlainLinesNotCarriageReturnFrames() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressListener p = new ProgressListener("classify lstm", new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        for (int step = 1; step <= 50; step++) {
            p.onStep(null, new StepEvent(step, 50, 1, step, 600, 0.5f, 100, 1e-3, step * 0.01));
        }
        p.close();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains("\r"), out);
        // Within the 5 s interval only the last step prints (the run's end), not one line per step.
        String[] lines = out.strip().split("\n");
        assertEquals(1, lines.length, out);
        assertTrue(lines[0].matches("classify lstm: step 50/50 \\(100%\\), epoch 1, loss 0\\.5000, \\d+ samples/s, ETA 0s"), lines[0]);
    }

    @Test
    void durationsReadNaturally() {
        assertEquals("42s", ProgressListener.formatDuration(42.3));
        assertEquals("3m05s", ProgressListener.formatDuration(185));
        assertEquals("1h02m", ProgressListener.formatDuration(3720));
    }
}
