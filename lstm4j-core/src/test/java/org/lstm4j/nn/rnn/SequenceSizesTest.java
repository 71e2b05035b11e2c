package org.lstm4j.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lstm4j.nn.Embedding;
import org.lstm4j.nn.GRU;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.LSTMCell;
import org.lstm4j.nn.Linear;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/**
 * Sizes past a Java array are refused before anything is allocated, with the dimensions, the element count, the
 * limit and what to do, instead of wrapping around to a NegativeArraySizeException inside the workspace. The
 * shapes here would need tens of gigabytes: the tests pass only because nothing is allocated.
 */
class SequenceSizesTest {
    private static final String LIMIT = "2147483639";

    @Test
    void numelPastTheArrayLimitIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shape.numel(new int[] {65536, 65536}));
        assertEquals("shape [65536, 65536] has 4294967296 elements, more than a tensor can hold: its values are one"
                + " Java float array, of at most " + LIMIT + " (Integer.MAX_VALUE - 8) elements", e.getMessage());
        // Past a long too: the count in the message is exact, not wrapped.
        e = assertThrows(IllegalArgumentException.class, () -> Shape.numel(new int[] {65536, 65536, 65536, 65536}));
        assertTrue(e.getMessage().contains("has 18446744073709551616 elements"), e.getMessage());
        // A product that wraps to 0 in 32-bit arithmetic (2·2^30·2 = 2^32).
        assertThrows(IllegalArgumentException.class, () -> Shape.numel(new int[] {2, 1 << 30, 2}));
    }

    @Test
    void numelUpToTheLimitAndZeroSizes() {
        assertEquals(Shape.MAX_ARRAY_LENGTH, Shape.numel(new int[] {Integer.MAX_VALUE - 8}));
        assertThrows(IllegalArgumentException.class, () -> Shape.numel(new int[] {Integer.MAX_VALUE - 7}));
        assertEquals(0, Shape.numel(new int[] {65536, 65536, 0, 65536}), "a zero dimension makes it empty");
        assertEquals(1, Shape.numel(new int[0]));
    }

    @Test
    void tensorCreationIsCheckedBeforeAllocating() {
        // 16 GB: without the check first this would be an OutOfMemoryError (or a negative size), not this.
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(65536, 65536));
        assertThrows(IllegalArgumentException.class, () -> Tensor.full(1f, 65536, 65536));
    }

    @Test
    void reshapeWithHugeDimensionsDoesNotWrap() {
        Tensor t = Tensor.zeros(8);
        // 65536^4 wraps to 0 in a long; saturated, it simply cannot divide 8.
        assertThrows(IllegalArgumentException.class, () -> t.reshape(65536, 65536, 65536, 65536, -1));
        assertThrows(IllegalArgumentException.class, () -> t.reshape(-2, -4));
    }

    @Test
    void aLongSequenceNamesTheGateBufferAndTheChunkLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SequenceSizes.check(CellType.LSTM, 100_000, 64, 1024, 1024, 1, 1));
        assertEquals("LSTM gate buffer of T·B·4H = 100000·64·4096 = 26214400000 elements is more than a Java array"
                + " can hold (" + LIMIT + " = Integer.MAX_VALUE - 8): split the sequence into shorter chunks (at most"
                + " 8191 steps at this batch size) and carry the state (h_n, c_n) from one chunk to the next",
                e.getMessage());
        // The advised chunk fits; one step more does not (8192·64·4096 = 2^31).
        assertDoesNotThrow(() -> SequenceSizes.check(CellType.LSTM, 8191, 64, 1024, 1024, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> SequenceSizes.check(CellType.LSTM, 8192, 64, 1024, 1024, 1, 1));
    }

    @Test
    void theOutputOfABidirectionalRnnCanBeTheLargestBuffer() {
        // G·H = H but D·H_out = 2H: the output passes the limit first.
        int steps = 40_000;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SequenceSizes.check(CellType.RNN_TANH, steps, 32, 1024, 1024, 2, 2));
        assertTrue(e.getMessage().startsWith("RNN output of T·B·D·H_out = 40000·32·2048 = 2621440000 elements"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(at most 32767 steps at this batch size) and carry the state h_n from one"
                + " chunk to the next"), e.getMessage());
    }

    @Test
    void whenOneStepIsTooLargeTheAdviceIsSmallerBatches() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SequenceSizes.check(CellType.LSTM, 1, 1 << 20, 1024, 1024, 1, 1));
        assertTrue(e.getMessage().contains("T·B·4H = 1·1048576·4096 = 4294967296 elements"), e.getMessage());
        assertTrue(e.getMessage().endsWith(": split the batch into smaller batches"), e.getMessage());

        // Many stacked final states: L·D·B·H passes the limit while the gates of one layer fit.
        e = assertThrows(IllegalArgumentException.class,
                () -> SequenceSizes.check(CellType.GRU, 1, 1 << 14, 1 << 13, 1 << 13, 2, 32));
        assertTrue(e.getMessage().startsWith("GRU final states of L·D·B·H = 32·16384·8192 = 4294967296 elements"),
                e.getMessage());
    }

    @Test
    void anLstmForwardOverALongSequenceFailsBeforeAllocating() {
        // The input is small (T·B·I = 6.4 M floats with I = 1); its gates would be 26 G floats.
        LSTM lstm = new LSTM(1, 1024);
        Tensor x = Tensor.zeros(100_000, 64, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lstm.forward(x));
        assertTrue(e.getMessage().startsWith("LSTM gate buffer of T·B·4H = 100000·64·4096"), e.getMessage());
        assertTrue(e.getMessage().contains("carry the state (h_n, c_n)"), e.getMessage());

        GRU gru = GRU.builder(1, 1024).batchFirst(true).build();
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> gru.forward(Tensor.zeros(64, 100_000, 1)));
        assertTrue(g.getMessage().startsWith("GRU gate buffer of T·B·3H = 100000·64·3072"), g.getMessage());
    }

    @Test
    void cellsAndDirectKernelCallsAreCheckedToo() {
        // A cell checks before making its zero states (2 GB each here): a batch of 2^19 rows has 2^31 gate values.
        LSTMCell cell = new LSTMCell(1, 1024);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cell.forward(Tensor.zeros(1 << 19, 1)));
        assertTrue(e.getMessage().contains("T·B·4H = 1·524288·4096"), e.getMessage());
        assertTrue(e.getMessage().endsWith("split the batch into smaller batches"), e.getMessage());

        LayerWeights w = new LayerWeights(Tensor.zeros(4 * 1024, 1), Tensor.zeros(4 * 1024, 1024), null, null, null);
        // Without RNNBase's check in front, the kernel's own refuses the call before taking any buffer.
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> FusedRecurrentLayer.apply(
                CellType.LSTM, Tensor.zeros(100_000, 64, 1), Tensor.zeros(64, 1024), Tensor.zeros(64, 1024), w, false));
        assertTrue(k.getMessage().startsWith("LSTM gate buffer of T·B·4H = 100000·64·4096"), k.getMessage());
    }

    @Test
    void linearAndEmbeddingOutputsAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Linear(1, 65536).forward(Tensor.zeros(65536, 1)));
        assertTrue(e.getMessage().startsWith("Linear output of N·out_features = 65536·65536 = 4294967296 elements"),
                e.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> new Embedding(2, 65536).forward(IndexTensor.of(new int[65536])));
        assertTrue(m.getMessage().startsWith("Embedding output of indices·embedding_dim = 65536·65536"), m.getMessage());
    }

    @Test
    void arrayLengthNamesEachDimension() {
        assertEquals(24, Shape.arrayLength("buffer", new String[] {"A", "B"}, new int[] {4, 6}, "n/a"));
        assertThrows(IllegalArgumentException.class,
                () -> Shape.arrayLength("buffer", new String[] {"A"}, new int[] {4, 6}, "n/a"));
    }

    @Test
    void matmulAndPackingSizesAreCheckedBeforeAllocating() {
        org.lstm4j.tensor.Tensor a = org.lstm4j.tensor.Tensor.zeros(65536, 1);
        org.lstm4j.tensor.Tensor b = org.lstm4j.tensor.Tensor.zeros(1, 65536);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> a.matmul(b));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("matmul output of M·N = 65536·65536 = 4294967296 elements"),
                e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> org.lstm4j.kernels.Gemm.packedSize(65536, Integer.MAX_VALUE));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("packed B operand of k·n rounded up"), e.getMessage());
    }

    @Test
    void catRefusesAResultLargerThanOneArray() {
        // Empty rows: the sizes along the dimension add up past an int (they used to wrap) with nothing allocated.
        org.lstm4j.tensor.Tensor rows = org.lstm4j.tensor.Tensor.zeros(1 << 30, 0);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> org.lstm4j.tensor.Tensor.cat(java.util.List.of(rows, rows, rows), 0));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("cat along dimension 0 of 3 tensors gives 3221225472 entries"),
                e.getMessage());
    }
}
