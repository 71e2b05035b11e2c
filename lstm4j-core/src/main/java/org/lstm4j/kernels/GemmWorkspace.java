package org.lstm4j.kernels;

/**
 * Per-thread packing buffers of the blocked GEMM, grown on demand and then reused, so steady-state calls
 * allocate nothing.
 */
final class GemmWorkspace {
    private static final ThreadLocal<GemmWorkspace> PER_THREAD = ThreadLocal.withInitial(GemmWorkspace::new);

    private float[] packedA = new float[0];
    private float[] packedB = new float[0];
    private float[] tile = new float[0];
    private float[] sharedA = new float[0];
    private float[] scratchC = new float[0];

    static GemmWorkspace current() {
        return PER_THREAD.get();
    }

    float[] packedA(int size) {
        if (packedA.length < size) {
            packedA = new float[size];
        }
        return packedA;
    }

    float[] packedB(int size) {
        if (packedB.length < size) {
            packedB = new float[size];
        }
        return packedB;
    }

    /** A packed once for all tasks of a parallel product (read by every thread while the caller waits). */
    float[] sharedA(int size) {
        if (sharedA.length < size) {
            sharedA = new float[size];
        }
        return sharedA;
    }

    /** Contiguous accumulation block for a strided C (see {@link BlockedGemm#scratchTarget}). */
    float[] scratchC(int size) {
        if (scratchC.length < size) {
            scratchC = new float[size];
        }
        return scratchC;
    }

    float[] tile(int size) {
        if (tile.length < size) {
            tile = new float[size];
        }
        return tile;
    }
}
