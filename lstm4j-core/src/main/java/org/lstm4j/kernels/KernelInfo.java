package org.lstm4j.kernels;

import java.util.Locale;

/**
 * Which numeric kernels this JVM runs, for logs and bug reports: whether the Vector API
 * ({@code jdk.incubator.vector}) is present and how wide its float vectors are, which GEMM micro-kernel
 * {@link Gemm} chose, and how many threads {@link Parallelism} uses.
 *
 * <p>The Vector API is used only when the JVM starts with {@code --add-modules jdk.incubator.vector}; without
 * it the kernels fall back to plain Java, with the same results and lower speed. The system property
 * {@code lstm4j.gemm.vector=false} forces the plain-Java GEMM kernel even when the module is present.
 */
public final class KernelInfo {
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    private KernelInfo() {}

    /** @return whether the {@code jdk.incubator.vector} module is in the boot layer */
    public static boolean vectorApiPresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * @return the size in bits of the float vectors the kernels use: the CPU's preferred width, or the one
     *     forced by {@code -Dlstm4j.vector.bits}; 0 when the Vector API is absent
     */
    public static int vectorBits() {
        if (!vectorApiPresent()) {
            return 0;
        }
        int forced = forcedVectorBits();
        if (forced > 0) {
            return forced;
        }
        try {
            // Reflection: this class must load, and answer, on JVMs started without the incubator module.
            Object species = Class.forName(VECTOR_MODULE + ".FloatVector").getField("SPECIES_PREFERRED").get(null);
            return (int) Class.forName(VECTOR_MODULE + ".VectorSpecies").getMethod("vectorBitSize").invoke(species);
        } catch (ReflectiveOperationException | LinkageError e) {
            return 0;
        }
    }

    /**
     * The width {@code -Dlstm4j.vector.bits} forces (see {@code VectorWidth}), or 0 when it is unset.
     *
     * @throws IllegalArgumentException if it is set to anything but 128, 256 or 512
     */
    public static int forcedVectorBits() {
        String value = forcedChoice("lstm4j.vector.bits",
                "128, 256 or 512 (bits per float vector), or unset for the CPU's preferred width", "128", "256", "512");
        return value == null ? 0 : Integer.parseInt(value);
    }

    /**
     * The tile height {@code -Dlstm4j.gemm.tileRows} asks of the vector kernel at 256 and 128 bits, or 0 when it
     * is unset: 6 rows then on x86 (16 vector registers), 8 on aarch64 (32, {@link #thirtyTwoVectorRegisters}).
     * 5 is the blocking before stop 29, fewer integer instructions per FMA and ten accumulator chains: kept to
     * compare the two on a machine at hand (bench/README, "Stop 29"); 8 runs aarch64's blocking elsewhere, so that
     * tests check it on x86 (where it spills: slower, the same results). No effect at 512 bits (8 rows).
     *
     * @throws IllegalArgumentException if it is set to anything but 5, 6 or 8
     */
    public static int forcedTileRows() {
        String value = forcedChoice("lstm4j.gemm.tileRows",
                "5, 6 or 8 (rows of a GEMM tile at 256 and 128 bits), or unset for the CPU's", "5", "6", "8");
        return value == null ? 0 : Integer.parseInt(value);
    }

    /**
     * Whether the CPU has 32 vector registers at every width the kernels use: aarch64 (NEON and SVE alike). x86
     * has 32 only with AVX-512, whose 512-bit vectors get 8-row tiles anyway; at 256 and 128 bits the kernels
     * are blocked for AVX2's 16.
     */
    static boolean thirtyTwoVectorRegisters() {
        return isAarch64(System.getProperty("os.arch", ""));
    }

    /** Whether an {@code os.arch} value names 64-bit ARM. */
    static boolean isAarch64(String osArch) {
        return osArch.equalsIgnoreCase("aarch64");
    }

    /**
     * Whether the 6-row packed GEMM kernel runs its one-index loop (true) or its start-per-row loop (false): one
     * index on Java 17, whose C2 compiles it leaner and keeps it in registers (checked there, with and without
     * loop strip mining), a start per row on later releases: Java 25's C2 spills the one-index loop, and the
     * releases between were not checked (see {@code VectorMicroKernel.rows6Packed}).
     * {@code -Dlstm4j.gemm.rows6OneIndex=true|false} forces one, so that the tests run both forms on one release.
     *
     * @throws IllegalArgumentException if it is set to anything but true or false
     */
    static boolean rows6OneIndex() {
        String value = forcedChoice("lstm4j.gemm.rows6OneIndex",
                "true or false (the 6-row GEMM kernel's loop form), or unset for the Java release's", "true", "false");
        return value == null ? Runtime.version().feature() == 17 : Boolean.parseBoolean(value);
    }

    /**
     * The system property's value, stripped, when it is one of {@code allowed}; null when it is unset or blank.
     *
     * @throws IllegalArgumentException naming the property, its value and {@code expected} otherwise
     */
    private static String forcedChoice(String property, String expected, String... allowed) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            return null;
        }
        for (String choice : allowed) {
            if (value.strip().equals(choice)) {
                return choice;
            }
        }
        throw new IllegalArgumentException("-D" + property + "=" + value + ": expected " + expected);
    }

    /** @return floats per preferred vector ({@link #vectorBits()} / 32), 0 when the Vector API is absent */
    public static int vectorLanes() {
        return vectorBits() / Float.SIZE;
    }

    /** @return the simple class name of the GEMM micro-kernel in use: VectorMicroKernel or ScalarMicroKernel */
    public static String gemmMicroKernel() {
        return preferredKernel().getClass().getSimpleName();
    }

    /**
     * @return the rows of A one micro-kernel tile covers (its register blocking): 8 at 512 bits and on aarch64,
     *     6 at 256 and 128 bits on x86 (or what {@code -Dlstm4j.gemm.tileRows} asks; see {@code VectorMicroKernel}),
     *     4 for the plain-Java kernel
     */
    public static int gemmTileRows() {
        return preferredKernel().maxRows();
    }

    /**
     * Reads every property the kernels' class initializers read, so that a malformed one fails as itself: inside
     * {@code VectorMicroKernel}'s initializer it would fail as a linkage error, which {@link MicroKernels} takes
     * for an absent Vector API and answers with the plain-Java kernel, silently.
     *
     * @throws IllegalArgumentException naming the first malformed property
     */
    static void checkKernelProperties() {
        forcedVectorBits();
        forcedTileRows();
        rows6OneIndex();
    }

    /** {@link MicroKernels#preferred}, after {@link #checkKernelProperties}. */
    private static MicroKernel preferredKernel() {
        checkKernelProperties();
        return MicroKernels.preferred();
    }

    /** @return whether GEMM runs on the Vector API kernel */
    public static boolean vectorGemm() {
        MicroKernel preferred = preferredKernel();
        return MicroKernels.vector() != null && preferred == MicroKernels.vector();
    }

    /** @return the thread count of the kernels now ({@link Parallelism#threads()}) */
    public static int threads() {
        return Parallelism.threads();
    }

    /**
     * One line, e.g. {@code Vector API: 512-bit floats (16 lanes), GEMM micro-kernel VectorMicroKernel (8-row
     * tiles), 2 threads}; without the module: {@code Vector API: absent (start Java with --add-modules
     * jdk.incubator.vector), GEMM micro-kernel ScalarMicroKernel (4-row tiles), 2 threads}. On a JVM that boxes
     * the vector lane operations ({@link VectorCompiler}) it says what runs in plain Java instead, and what to change.
     */
    public static String describe() {
        int bits = vectorBits();
        MicroKernel kernel = preferredKernel();
        String vector;
        if (bits == 0) {
            vector = "Vector API: absent (start Java with --add-modules " + VECTOR_MODULE + ")";
        } else {
            vector = String.format(Locale.ROOT, "Vector API: %d-bit floats (%d lanes)", bits, bits / Float.SIZE);
            if (MicroKernels.vector() == null) {
                vector += ", not used for GEMM (its kernel failed to load)";
            } else if (kernel != MicroKernels.vector()) {
                vector += ", not used for GEMM (-D" + MicroKernels.VECTOR_PROPERTY + "=false)";
            }
        }
        if (bits != 0 && !VectorCompiler.compilesLaneOperations()) {
            vector += ", gate passes and dot products in plain Java (no vector lane operations in this JVM on SVE:"
                    + " -XX:UseSVE=0 or Java " + VectorCompiler.FIRST_RELEASE_WITH_SVE_LANE_OPERATIONS + "+)";
        }
        int threads = threads();
        return vector + ", GEMM micro-kernel " + kernel.getClass().getSimpleName() + " (" + kernel.maxRows()
                + "-row tiles), " + threads + (threads == 1 ? " thread" : " threads");
    }
}
