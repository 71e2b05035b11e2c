package org.lstm4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float vector species every Vector API kernel uses: the CPU's preferred one, or the width the system
 * property {@value #PROPERTY} names (128, 256 or 512), fixed when the kernels load. Forcing a width runs
 * that width's code paths on any machine (wider than the CPU's vectors, C2 emulates them: slow, but the
 * same results), so tests check the 128-, 256- and 512-bit paths everywhere; {@code -XX:MaxVectorSize=16}
 * or {@code 32} narrows the preferred width natively instead.
 *
 * <p>Loaded only when the {@code jdk.incubator.vector} module is present.
 */
public final class VectorWidth {
    /** The system property that forces a vector width in bits. */
    public static final String PROPERTY = "lstm4j.vector.bits";

    /** The species of the kernels. */
    public static final VectorSpecies<Float> FLOATS = choose();

    private VectorWidth() {}

    private static VectorSpecies<Float> choose() {
        return switch (KernelInfo.forcedVectorBits()) {
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            default -> FloatVector.SPECIES_PREFERRED;
        };
    }
}
