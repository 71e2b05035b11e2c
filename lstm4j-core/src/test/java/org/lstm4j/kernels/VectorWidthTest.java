package org.lstm4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lstm4j.data.Batch;
import org.lstm4j.data.ParallelStreams;
import org.lstm4j.models.CharLanguageModel;
import org.lstm4j.models.CharSampler;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.LSTMStream;
import org.lstm4j.optim.Adam;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.AllocationMeter;
import org.lstm4j.train.TruncatedBptt;

/**
 * Run at every vector width by the build (surefire executions vector-128, -256, -512; see lstm4j-core's pom):
 * the kernels use the width they were given, and the steady-state serving, sampling and training steps
 * allocate what the model needs and no more. A Vector API path that C2 cannot compile at some width boxes
 * its vectors on the heap: megabytes per step, which these bounds catch (on one AVX-512 machine the serving
 * step allocated 6.5 MiB and a char-LM training step 280 MiB, against 19 KiB and 35 MiB at 256 bits).
 * Allocation is counted on the calling thread with the kernels single-threaded, and on every thread with two
 * (the parallel dispatch reuses its jobs: before, 128 bytes per parallel loop, 288 per serving step of 2 layers).
 */
@Tag("vector-widths")
class VectorWidthTest {
    private int threadsBefore;

    @BeforeEach
    void oneThread() {
        threadsBefore = Parallelism.threads();
        Parallelism.setThreads(1);
    }

    @AfterEach
    void restoreThreads() {
        Parallelism.setThreads(threadsBefore);
    }

    /** Whether the kernels' width is the hardware's (allocation bounds hold) rather than emulated by C2. */
    private static boolean nativeWidth() {
        return KernelInfo.vectorBits() <= jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    @Test
    void theKernelsUseTheForcedWidthOrThePreferredOne() {
        assumeTrue(KernelInfo.vectorApiPresent(), "the Vector API module is absent");
        int forced = KernelInfo.forcedVectorBits();
        int expected = forced > 0 ? forced : jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        assertEquals(expected, KernelInfo.vectorBits());
        assertEquals(expected, VectorWidth.FLOATS.vectorBitSize());
        assertEquals("VectorMicroKernel", KernelInfo.gemmMicroKernel());
        System.out.println("vector-widths: " + KernelInfo.describe() + (nativeWidth() ? "" : " (emulated: wider than the CPU's)"));
    }

    @Test
    void aServingStepAllocatesNothing() {
        assertServingStepAllocatesNothing(1);
    }

    @Test
    void aServingStepAllocatesNothingOnTwoThreads() {
        assertServingStepAllocatesNothing(2);
    }

    private static void assertServingStepAllocatesNothing(int threads) {
        AllocationMeter.assumeSupported();
        assumeTrue(nativeWidth(), "emulated width: C2 boxes wider-than-native vectors by design");
        Parallelism.setThreads(threads);
        // The bench's stream workload: LSTM 2x256 on 65 inputs, one step per call.
        LSTM lstm = LSTM.builder(65, 256).numLayers(2).generator(new Generator(1)).build();
        LSTMStream stream = lstm.stream();
        float[] x = new float[65];
        float[] y = new float[256];
        for (int i = 0; i < 3000; i++) {
            x[i % 65] = 1f;
            stream.step(x, y);
            x[i % 65] = 0f;
        }
        long perStep = steadyStateBytesPer(1000, threads, () -> {
            for (int i = 0; i < 1000; i++) {
                x[i % 65] = 1f;
                stream.step(x, y);
                x[i % 65] = 0f;
            }
        });
        assertTrue(perStep <= 16, "a serving step allocated " + perStep + " bytes at " + KernelInfo.vectorBits()
                + " bits on " + threads + " thread(s)");
    }

    /** The calling thread's running total with one thread; every thread's (the pool's workers too) with more. */
    private static long allocated(int threads) {
        return threads == 1 ? AllocationMeter.allocatedBytes() : AllocationMeter.allocatedBytesAllThreads();
    }

    /**
     * Bytes per item of the least-allocating of up to eight windows of {@code items} items: on a loaded machine
     * C2 may finish compiling a kernel only after the warm-up (the interpreter boxes vectors), which the first
     * windows then see; a kernel C2 cannot compile boxes in every window.
     */
    private static long steadyStateBytesPer(int items, int threads, Runnable window) {
        long least = Long.MAX_VALUE;
        for (int w = 0; w < 8 && least > 16; w++) {
            long before = allocated(threads);
            window.run();
            least = Math.min(least, (allocated(threads) - before) / items);
        }
        return least;
    }

    @Test
    void samplingACharacterAllocatesNothing() {
        assertSamplingAllocatesNothing(1);
    }

    @Test
    void samplingACharacterAllocatesNothingOnTwoThreads() {
        assertSamplingAllocatesNothing(2);
    }

    private static void assertSamplingAllocatesNothing(int threads) {
        AllocationMeter.assumeSupported();
        assumeTrue(nativeWidth(), "emulated width: C2 boxes wider-than-native vectors by design");
        Parallelism.setThreads(threads);
        CharLanguageModel model = new CharLanguageModel(new CharLanguageModel.Config(alphabet(65), "lstm", 64, 256, 2, 0.0,
                CharLanguageModel.Head.EVERY_STEP), new Generator(2));
        CharSampler sampler = model.sampler(new Generator(3));
        sampler.prime("!#%");
        for (int i = 0; i < 3000; i++) {
            sampler.next(0.8, 10);
        }
        long perCharacter = steadyStateBytesPer(1000, threads, () -> {
            for (int i = 0; i < 1000; i++) {
                sampler.next(0.8, 10);
            }
        });
        assertTrue(perCharacter <= 16, "sampling allocated " + perCharacter + " bytes per character at "
                + KernelInfo.vectorBits() + " bits on " + threads + " thread(s)");
    }

    /** The dot-product path of skinny products (sine's one-row steps): lane sums included, no vector boxed. */
    @Test
    void aSkinnyProductAllocatesNothing() {
        AllocationMeter.assumeSupported();
        assumeTrue(nativeWidth(), "emulated width: C2 boxes wider-than-native vectors by design");
        float[] a = new float[3 * 259];
        float[] b = new float[64 * 259];
        float[] c = new float[3 * 64];
        for (int i = 0; i < b.length; i++) {
            b[i] = (i % 17) * 0.01f;
        }
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 5) * 0.1f;
        }
        Runnable products = () -> {
            for (int i = 0; i < 1000; i++) {
                Gemm.sgemm(false, true, 3, 64, 259, 1f, a, 0, 259, b, 0, 259, 0f, c, 0, 64);
            }
        };
        for (int i = 0; i < 20; i++) {
            products.run();
        }
        long perProduct = steadyStateBytesPer(1000, 1, products);
        // The call's operand views and loop body: 32 bytes on JDK 17, 168 on JDK 25. A boxed vector is 80 bytes
        // at 512 bits, and this product runs ~2,500 vector operations: boxing shows as hundreds of kilobytes.
        assertTrue(perProduct <= 512, "a 3x64x259 product allocated " + perProduct + " bytes at "
                + KernelInfo.vectorBits() + " bits");
    }

    @Test
    void aSequenceInferenceCallAllocatesItsOutputsOnly() {
        AllocationMeter.assumeSupported();
        assumeTrue(nativeWidth(), "emulated width: C2 boxes wider-than-native vectors by design");
        // infer-large's path at a smaller size: rolling input blocks (W_ih past the per-step limit), batch chunks.
        int steps = 12, batch = 24, inputSize = 80, hidden = 600;
        org.lstm4j.nn.RecurrentInference inference = LSTM.builder(inputSize, hidden).batchFirst(true)
                .generator(new Generator(6)).build().inference();
        org.lstm4j.tensor.Tensor x = org.lstm4j.tensor.Tensor.uniform(-1f, 1f, new Generator(7), batch, steps,
                inputSize);
        for (int threads = 1; threads <= 2; threads++) {
            Parallelism.setThreads(threads);
            for (int i = 0; i < 10; i++) {
                inference.forward(x);
            }
            int calls = 5;
            long perCall = steadyStateBytesPer(calls, threads, () -> {
                for (int i = 0; i < calls; i++) {
                    inference.forward(x);
                }
            });
            // y, h_n, c_n and the zero initial state, plus a few KB of objects (tensors, the call's kernel).
            long outputs = 4L * ((long) steps * batch * hidden + 3L * batch * hidden);
            assertTrue(perCall <= outputs + 16 * 1024, "a sequence inference call allocated " + perCall
                    + " bytes at " + KernelInfo.vectorBits() + " bits on " + threads + " thread(s), its outputs "
                    + outputs);
        }
    }

    @Test
    void aTrainingStepAllocatesAboutWhatItsActivationsNeed() {
        AllocationMeter.assumeSupported();
        assumeTrue(nativeWidth(), "emulated width: C2 boxes wider-than-native vectors by design");
        int vocabulary = 65;
        int hidden = 128;
        int layers = 2;
        int batch = 16;
        int steps = 50;
        CharLanguageModel model = new CharLanguageModel(new CharLanguageModel.Config(alphabet(vocabulary), "lstm", 32,
                hidden, layers, 0.0, CharLanguageModel.Head.EVERY_STEP), new Generator(4));
        int[] tokens = new int[batch * steps * 20 + 1];
        Generator g = new Generator(5);
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = g.nextInt(vocabulary);
        }
        ParallelStreams data = new ParallelStreams(tokens, batch, steps);
        TruncatedBptt bptt = new TruncatedBptt(model::forward);
        Adam adam = new Adam(model.parameters(), 1e-3);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        int[] order = new int[batch];
        Runnable step = new Runnable() {
            int window;

            @Override
            public void run() {
                for (int s = 0; s < batch; s++) {
                    order[s] = (window % data.windows()) * batch + s;
                }
                window++;
                Batch<IndexTensor> b = data.gather(order, 0, batch);
                adam.zeroGrad();
                loss.forward(bptt.apply(b.inputs()), b.targets()).backward();
                adam.step();
            }
        };
        for (int i = 0; i < 30; i++) {
            step.run();
        }
        long before = AllocationMeter.allocatedBytes();
        for (int i = 0; i < 10; i++) {
            step.run();
        }
        long perStep = (AllocationMeter.allocatedBytes() - before) / 10;
        // What a step must hold: per layer the gate activations and their gradients (2 x 4H), h and c (2H)
        // and the layer's output and its gradient (2H) for every position; the logits, softmax and their
        // gradient (3V) per position; the embedded input and its gradient; the gradients of the weights.
        long positions = (long) batch * steps;
        long parameters = model.parameterCount();
        long activationFloats = positions * (layers * (8L * hidden + 4L * hidden) + 3L * vocabulary + 2L * 32);
        long needed = 4 * (activationFloats + 2 * parameters);
        assertTrue(perStep <= 2 * needed, "a training step allocated " + perStep + " bytes at " + KernelInfo.vectorBits()
                + " bits, more than twice the " + needed + " its activations and gradients need");
    }

    private static String alphabet(int size) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) {
            sb.appendCodePoint(0x21 + i);
        }
        return sb.toString();
    }

    @Test
    void theForcedWidthPropertyIsCheckedLoudly() {
        String before = System.getProperty("lstm4j.vector.bits");
        System.setProperty("lstm4j.vector.bits", "384");
        try {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    KernelInfo::forcedVectorBits);
            assertTrue(e.getMessage().contains("expected 128, 256 or 512"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty("lstm4j.vector.bits");
            } else {
                System.setProperty("lstm4j.vector.bits", before);
            }
        }
    }
}
