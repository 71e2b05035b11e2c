package org.lstm4j.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.lstm4j.kernels.Gemm;
import org.lstm4j.kernels.Parallelism;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time per {@link Gemm#sgemm} call on the shapes of {@link GemmShapes#ALL} ("m x n x k : op-tags"), with 1 and 2
 * kernel threads. GFLOP/s = 2·m·n·k / time. Run: {@code java -jar lstm4j-bench/target/benchmarks.jar Gemm};
 * add {@code -jvmArgsAppend -Dlstm4j.gemm.vector=false} for the plain-Java kernel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GemmBenchmark {

    @Param({"512x512x512:NN", "1x128x32:NT", "64x1024x256:NT", "100x512x128:NT", "6400x1024x65:NT",
            "6400x2048x256:NT"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private GemmShapes.Shape s;
    private float[] a;
    private float[] b;
    private float[] c;
    private int lda;
    private int ldb;

    @Setup
    public void setUp() {
        Parallelism.setThreads(threads);
        s = GemmShapes.Shape.parse(shape);
        Random random = new Random(1);
        a = new float[s.m() * s.k()];
        b = new float[s.k() * s.n()];
        c = new float[s.m() * s.n()];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextFloat() - 0.5f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextFloat() - 0.5f;
        }
        lda = s.transA() ? s.m() : s.k();
        ldb = s.transB() ? s.k() : s.n();
    }

    @Benchmark
    public float[] sgemm() {
        Gemm.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, s.n());
        return c;
    }
}
