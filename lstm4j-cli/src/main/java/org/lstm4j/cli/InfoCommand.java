package org.lstm4j.cli;

import java.io.PrintWriter;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.lstm4j.kernels.CacheSizes;
import org.lstm4j.kernels.KernelInfo;
import org.lstm4j.kernels.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code lstm4j info}: what a run here depends on, for bug reports and benchmark notes: the version, the JVM,
 * the CPU, the heap limit, the kernels in use and where their thread count comes from.
 */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Show the version, JVM, CPU, heap limit, and the kernels and threads in use.")
public final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        MachineInfo machine = MachineInfo.detect();
        out.println("lstm4j " + VersionProvider.projectVersion());
        out.println("java: " + machine.java() + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.vendor") + "), " + System.getProperty("java.home"));
        out.println(cpuLine(machine.cpuModel(), machine.cores(), CacheSizes.l2BytesPerCpu()));
        long maxHeap = Runtime.getRuntime().maxMemory();
        out.println("heap max: " + MemorySizes.format(maxHeap) + " (set with " + OutOfMemoryException.JAVA_OPTIONS_VARIABLE
                + "=-Xmx...)");
        // The launcher's default collector (lstm4j-cli/src/main/launcher/jvm-defaults) decides the peak memory.
        out.println("gc: " + java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(java.lang.management.GarbageCollectorMXBean::getName)
                .collect(java.util.stream.Collectors.joining(", ")));
        out.println("kernels: " + KernelInfo.describe());
        out.println("threads: " + Parallelism.threads() + " (" + threadSource() + "; at most " + Parallelism.maxThreads() + ")");
        out.flush();
        return 0;
    }

    /**
     * The CPU model, its cores and, where sysfs tells it, the L2 each CPU has (the kernels choose by it:
     * {@code InputProjection}'s rolling blocks).
     */
    static String cpuLine(String model, int cores, OptionalLong l2BytesPerCpu) {
        String line = "cpu: " + model + ", " + cores + (cores == 1 ? " core" : " cores");
        return l2BytesPerCpu.isPresent() ? line + ", L2 " + MemorySizes.format(l2BytesPerCpu.getAsLong()) + " per CPU"
                : line;
    }

    /** Where the initial thread count came from: the system property, or the default of all cores. */
    private static String threadSource() {
        String property = System.getProperty(Parallelism.THREADS_PROPERTY);
        String howToSet = "--threads N, or -D" + Parallelism.THREADS_PROPERTY + "=N in " + OutOfMemoryException.JAVA_OPTIONS_VARIABLE;
        return property == null || property.isBlank()
                ? "default: all cores; set with " + howToSet
                : "from -D" + Parallelism.THREADS_PROPERTY + "=" + property + "; commands also take --threads N";
    }
}
