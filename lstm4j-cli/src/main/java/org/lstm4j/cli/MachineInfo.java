package org.lstm4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.lstm4j.kernels.KernelInfo;

/**
 * What a run's figures depend on: the CPU, the cores the JVM sees, and the vector width the kernels use
 * (the Vector API's preferred float species; 0 when the JVM runs without {@code jdk.incubator.vector}).
 *
 * @param cpuModel   from /proc/cpuinfo, or the OS architecture where that is absent
 * @param cores      {@code Runtime.availableProcessors()}
 * @param vectorBits the preferred vector size in bits, 0 for the plain-Java kernels
 * @param java       the Java runtime version
 */
public record MachineInfo(String cpuModel, int cores, int vectorBits, String java) {

    public static MachineInfo detect() {
        return new MachineInfo(readCpuModel(), Runtime.getRuntime().availableProcessors(), KernelInfo.vectorBits(),
                System.getProperty("java.runtime.version", System.getProperty("java.version")));
    }

    /** E.g. {@code AMD EPYC, 2 cores, 512-bit vectors, Java 17.0.15}. */
    public String describe() {
        return cpuModel + ", " + cores + " cores, " + (vectorBits > 0 ? vectorBits + "-bit vectors" : "no Vector API (scalar kernels)")
                + ", Java " + java;
    }

    private static String readCpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                        .findFirst().orElse(System.getProperty("os.arch"));
            } catch (IOException | RuntimeException e) {
                // fall through: the architecture is the best we can say
            }
        }
        return System.getProperty("os.arch");
    }
}
