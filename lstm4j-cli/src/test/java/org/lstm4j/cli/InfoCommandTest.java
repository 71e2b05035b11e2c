package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.lstm4j.kernels.CacheSizes;
import org.lstm4j.kernels.KernelInfo;
import org.lstm4j.kernels.Parallelism;

class InfoCommandTest {
    @Test
    void printsVersionJvmCpuHeapKernelsAndThreads() {
        CliRun run = CliRun.of("info");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(7, lines.size(), run.out());
        assertEquals("lstm4j " + VersionProvider.projectVersion(), lines.get(0));
        assertTrue(lines.get(1).startsWith("java: " + MachineInfo.detect().java() + " ("), lines.get(1));
        int cores = Runtime.getRuntime().availableProcessors();
        MachineInfo machine = MachineInfo.detect();
        assertEquals(InfoCommand.cpuLine(machine.cpuModel(), cores, CacheSizes.l2BytesPerCpu()), lines.get(2));
        assertTrue(lines.get(2).startsWith("cpu: " + machine.cpuModel() + ", " + cores + (cores == 1 ? " core" : " cores")),
                lines.get(2));
        assertEquals("heap max: " + MemorySizes.format(Runtime.getRuntime().maxMemory())
                + " (set with LSTM4J_JAVA_OPTS=-Xmx...)", lines.get(3));
        // The collectors of this JVM by their MXBean names (Copy, MarkSweepCompact under the launcher's default).
        assertEquals("gc: " + String.join(", ", java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()
                .stream().map(java.lang.management.GarbageCollectorMXBean::getName).toList()), lines.get(4));
        assertEquals("kernels: " + KernelInfo.describe(), lines.get(5));
        assertTrue(lines.get(5).contains("GEMM micro-kernel VectorMicroKernel"), lines.get(5));
        assertTrue(lines.get(6).startsWith("threads: " + Parallelism.threads() + " ("), lines.get(6));
        assertTrue(lines.get(6).contains("at most " + 4 * cores), lines.get(6));
    }

    @Test
    void namesTheL2PerCpuWhereItIsKnown() {
        assertEquals("cpu: AMD EPYC, 2 cores, L2 512.0 KiB per CPU", InfoCommand.cpuLine("AMD EPYC", 2, OptionalLong.of(512 << 10)));
        assertEquals("cpu: Neoverse-V2, 1 core, L2 2.0 MiB per CPU", InfoCommand.cpuLine("Neoverse-V2", 1, OptionalLong.of(2 << 20)));
        assertEquals("cpu: unknown, 4 cores", InfoCommand.cpuLine("unknown", 4, OptionalLong.empty()));
    }

    @Test
    void isListedInTheTopLevelHelp() {
        CliRun run = CliRun.of("--help");
        assertTrue(run.out().lines().anyMatch(l -> l.strip().startsWith("info ")), run.out());
    }
}
