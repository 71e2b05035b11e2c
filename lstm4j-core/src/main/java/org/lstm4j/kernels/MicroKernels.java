package org.lstm4j.kernels;

/**
 * Chooses the micro-kernel once: the Vector API kernel when the {@code jdk.incubator.vector} module is in the
 * boot layer and the system property {@code lstm4j.gemm.vector} is not {@code false}, the plain-Java one
 * otherwise.
 */
final class MicroKernels {
    private MicroKernels() {}

    static final String VECTOR_PROPERTY = "lstm4j.gemm.vector";

    private static final MicroKernel SCALAR = new ScalarMicroKernel();
    private static final MicroKernel VECTOR = loadVectorKernel();
    private static final MicroKernel PREFERRED =
            VECTOR != null && !"false".equalsIgnoreCase(System.getProperty(VECTOR_PROPERTY)) ? VECTOR : SCALAR;

    /** @return the kernel {@link Gemm#sgemm} uses */
    static MicroKernel preferred() {
        return PREFERRED;
    }

    /** @return the plain-Java kernel */
    static MicroKernel scalar() {
        return SCALAR;
    }

    /** @return the Vector API kernel, or null when the module is absent */
    static MicroKernel vector() {
        return VECTOR;
    }

    private static MicroKernel loadVectorKernel() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        // A malformed kernel property fails here, loudly, rather than as a silent fall-back to plain Java.
        KernelInfo.checkKernelProperties();
        try {
            // Reflection keeps VectorMicroKernel (and the incubator classes) unloaded when the module is absent.
            return (MicroKernel) Class.forName("org.lstm4j.kernels.VectorMicroKernel")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
