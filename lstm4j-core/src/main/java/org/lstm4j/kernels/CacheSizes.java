package org.lstm4j.kernels;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The L2 cache each CPU has to itself, read once from Linux's sysfs ({@code /sys/devices/system/cpu/cpu0/cache}):
 * one L2 instance's size divided by the CPUs that share it (two SMT threads of a core, or the cores of an ARM
 * cluster). Empty where sysfs does not say (another OS, a container without {@code /sys}); the kernels' choices
 * that depend on it then keep their defaults.
 */
public final class CacheSizes {
    private static final Path CPU0_CACHES = Path.of("/sys/devices/system/cpu/cpu0/cache");
    private static final OptionalLong L2_PER_CPU = l2PerCpu(CPU0_CACHES);

    private CacheSizes() {}

    /** @return the bytes of L2 per CPU on this machine, or empty when sysfs does not tell */
    public static OptionalLong l2BytesPerCpu() {
        return L2_PER_CPU;
    }

    /**
     * The L2 bytes per CPU that a sysfs cache directory (its {@code index*} entries, each with {@code level},
     * {@code type}, {@code size} and {@code shared_cpu_list}) describes, or empty when it has no readable L2.
     */
    static OptionalLong l2PerCpu(Path cacheDir) {
        if (!Files.isDirectory(cacheDir)) {
            return OptionalLong.empty();
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(cacheDir, "index*")) {
            for (Path entry : entries) {
                if (!"2".equals(read(entry, "level")) || "Instruction".equals(read(entry, "type"))) {
                    continue;
                }
                long size = parseSize(read(entry, "size"));
                String shared = read(entry, "shared_cpu_list");
                int sharers = shared == null ? 1 : countCpus(shared);
                return size > 0 && sharers > 0 ? OptionalLong.of(size / sharers) : OptionalLong.empty();
            }
        } catch (IOException | RuntimeException e) {
            // Unreadable or unexpected contents: no figure rather than a wrong one.
        }
        return OptionalLong.empty();
    }

    /** sysfs's size text ({@code 512K}, {@code 2M}, {@code 1048576}) in bytes, or -1 when it is not one. */
    static long parseSize(String text) {
        if (text == null || text.isEmpty()) {
            return -1;
        }
        long unit = switch (text.charAt(text.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? text : text.substring(0, text.length() - 1);
        try {
            return Long.parseLong(digits) * unit;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The CPUs a sysfs CPU list names ({@code 0}, {@code 0-1}, {@code 0,8}, {@code 0-3,8-11}).
     *
     * @throws NumberFormatException when it is not such a list
     */
    static int countCpus(String list) {
        int count = 0;
        for (String range : list.split(",")) {
            int dash = range.indexOf('-');
            int first = Integer.parseInt((dash < 0 ? range : range.substring(0, dash)).strip());
            int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1).strip());
            if (last < first) {
                throw new NumberFormatException("CPU range " + range + " runs backwards");
            }
            count += last - first + 1;
        }
        return count;
    }

    /** The file's first line, stripped, or null when it cannot be read. */
    private static String read(Path dir, String file) {
        try {
            String text = Files.readString(dir.resolve(file), StandardCharsets.US_ASCII).strip();
            int newline = text.indexOf('\n');
            return newline < 0 ? text : text.substring(0, newline).strip();
        } catch (IOException e) {
            return null;
        }
    }
}
