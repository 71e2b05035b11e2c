package org.lstm4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KernelInfoTest {
    private final int savedThreads = Parallelism.threads();

    @AfterEach
    void restoreThreads() {
        Parallelism.setThreads(savedThreads);
    }

    @Test
    void reportsTheKernelGemmActuallyUses() {
        // The tests run with --add-modules jdk.incubator.vector (surefire's argLine) and no property set.
        assertTrue(KernelInfo.vectorApiPresent());
        assertTrue(KernelInfo.vectorGemm());
        assertEquals(MicroKernels.preferred().getClass().getSimpleName(), KernelInfo.gemmMicroKernel());
        assertEquals("VectorMicroKernel", KernelInfo.gemmMicroKernel());
        int bits = KernelInfo.vectorBits();
        assertTrue(bits == 128 || bits == 256 || bits == 512 || bits == 64, "bits " + bits);
        assertEquals(bits / 32, KernelInfo.vectorLanes());
        // The vector kernel's panel is two vectors wide: the width reported is the width it computes with.
        assertEquals(2 * KernelInfo.vectorLanes(), MicroKernels.preferred().panelWidth());
    }

    @Test
    void describeNamesWidthKernelAndThreads() {
        Parallelism.setThreads(1);
        int bits = KernelInfo.vectorBits();
        assertEquals("Vector API: " + bits + "-bit floats (" + bits / 32 + " lanes), GEMM micro-kernel VectorMicroKernel ("
                + KernelInfo.gemmTileRows() + "-row tiles), 1 thread",
                KernelInfo.describe());
        Parallelism.setThreads(2);
        assertTrue(KernelInfo.describe().endsWith(", 2 threads"), KernelInfo.describe());
        assertEquals(2, KernelInfo.threads());
    }

    @Test
    void withoutTheModuleThePlainJavaKernelIsReported() throws Exception {
        String[] run = runJava("-Dlstm4j.threads=3");
        assertEquals("Vector API: absent (start Java with --add-modules jdk.incubator.vector), GEMM micro-kernel"
                + " ScalarMicroKernel (4-row tiles), 3 threads", run[0], run[1]);
    }

    @Test
    void thePropertyCanTurnTheVectorGemmOff() throws Exception {
        String[] run = runJava("--add-modules=jdk.incubator.vector", "-Dlstm4j.gemm.vector=false", "-Dlstm4j.threads=1");
        assertTrue(run[0].matches("Vector API: \\d+-bit floats \\(\\d+ lanes\\), not used for GEMM \\(-Dlstm4j.gemm.vector=false\\),"
                + " GEMM micro-kernel ScalarMicroKernel \\(4-row tiles\\), 1 thread"), run[0] + run[1]);
    }

    @Test
    void tileRowsFollowTheRegisterCount() throws Exception {
        // 16 vector registers below 512 bits: 6-row tiles whatever the collector; 32 at 512 bits: 8 rows.
        String vector = "--add-modules=jdk.incubator.vector";
        assertTrue(runJava(vector, "-Dlstm4j.vector.bits=256", "-XX:+UseG1GC")[0].contains("(6-row tiles)"));
        assertTrue(runJava(vector, "-Dlstm4j.vector.bits=128", "-XX:+UseSerialGC")[0].contains("(6-row tiles)"));
        assertTrue(runJava(vector, "-Dlstm4j.vector.bits=512", "-XX:+UseSerialGC")[0].contains("(8-row tiles)"));
        // The 5-row blocking kept for comparison; 512 bits keeps its 8 rows whatever is asked.
        assertTrue(runJava(vector, "-Dlstm4j.vector.bits=256", "-Dlstm4j.gemm.tileRows=5")[0].contains("(5-row tiles)"));
        assertTrue(runJava(vector, "-Dlstm4j.vector.bits=512", "-Dlstm4j.gemm.tileRows=5")[0].contains("(8-row tiles)"));
        // aarch64 has 32 registers at every width (os.arch set as an aarch64 JVM sets it), and the property runs
        // that blocking on x86.
        assertTrue(runJava(vector, "-Dlstm4j.vector.bits=128", "-Dos.arch=aarch64")[0].contains("(8-row tiles)"));
        assertTrue(runJava(vector, "-Dlstm4j.vector.bits=256", "-Dos.arch=aarch64")[0].contains("(8-row tiles)"));
        assertTrue(runJava(vector, "-Dlstm4j.vector.bits=128", "-Dlstm4j.gemm.tileRows=8")[0].contains("(8-row tiles)"));
    }

    @Test
    void aBadTileRowsPropertyIsRefusedByName() {
        assertEquals(0, withProperty("lstm4j.gemm.tileRows", null, KernelInfo::forcedTileRows));
        assertEquals(5, withProperty("lstm4j.gemm.tileRows", " 5 ", KernelInfo::forcedTileRows));
        assertEquals(6, withProperty("lstm4j.gemm.tileRows", "6", KernelInfo::forcedTileRows));
        assertEquals(8, withProperty("lstm4j.gemm.tileRows", "8", KernelInfo::forcedTileRows));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> withProperty("lstm4j.gemm.tileRows", "4", KernelInfo::forcedTileRows));
        assertEquals("-Dlstm4j.gemm.tileRows=4: expected 5, 6 or 8 (rows of a GEMM tile at 256 and 128 bits), or"
                + " unset for the CPU's", e.getMessage());
    }

    @Test
    void theSixRowLoopFormIsOneIndexOnJava17UnlessForced() {
        IntSupplier oneIndex = () -> KernelInfo.rows6OneIndex() ? 1 : 0;
        assertEquals(Runtime.version().feature() == 17 ? 1 : 0, withProperty("lstm4j.gemm.rows6OneIndex", null, oneIndex));
        assertEquals(1, withProperty("lstm4j.gemm.rows6OneIndex", " true", oneIndex));
        assertEquals(0, withProperty("lstm4j.gemm.rows6OneIndex", "false", oneIndex));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> withProperty("lstm4j.gemm.rows6OneIndex", "yes", oneIndex));
        assertEquals("-Dlstm4j.gemm.rows6OneIndex=yes: expected true or false (the 6-row GEMM kernel's loop form), or"
                + " unset for the Java release's", e.getMessage());
    }

    @Test
    void theKernelsPropertyCheckCoversEveryKernelProperty() {
        // MicroKernels runs this check before loading the vector kernel: a property missing from it would turn a
        // typo into a silent fall-back to the plain-Java kernel.
        IntSupplier check = () -> {
            KernelInfo.checkKernelProperties();
            return 0;
        };
        for (String[] bad : new String[][] {{"lstm4j.vector.bits", "300"}, {"lstm4j.gemm.tileRows", "7"},
                {"lstm4j.gemm.rows6OneIndex", "yes"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> withProperty(bad[0], bad[1], check));
            assertTrue(e.getMessage().startsWith("-D" + bad[0] + "=" + bad[1] + ": expected "), e.getMessage());
        }
        assertEquals(0, check.getAsInt());
    }

    private static int withProperty(String name, String value, IntSupplier body) {
        String old = System.getProperty(name);
        try {
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
            return body.getAsInt();
        } finally {
            if (old == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, old);
            }
        }
    }

    @Test
    void aBadThreadsPropertyIsAWarningNotAFailure() throws Exception {
        String[] run = runJava("-Dlstm4j.threads=lots");
        int cores = Runtime.getRuntime().availableProcessors();
        assertTrue(run[0].endsWith(", " + cores + (cores == 1 ? " thread" : " threads")), run[0] + run[1]);
        assertTrue(run[1].contains("ignoring -Dlstm4j.threads=lots: not a whole number; using all " + cores + " cores"),
                run[1]);
    }

    /** Runs {@link PrintKernelInfo} in a fresh JVM with {@code jvmOptions}: {stdout first line, stderr}. */
    private static String[] runJava(String... jvmOptions) throws IOException, InterruptedException, URISyntaxException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("-cp");
        command.add(location(KernelInfo.class) + File.pathSeparator + location(PrintKernelInfo.class));
        command.add(PrintKernelInfo.class.getName());
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, process.exitValue(), err);
        return new String[] {out.strip(), err};
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
