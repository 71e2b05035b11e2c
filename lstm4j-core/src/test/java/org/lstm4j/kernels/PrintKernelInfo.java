package org.lstm4j.kernels;

/** Prints {@link KernelInfo#describe()}: run by {@link KernelInfoTest} in JVMs started with other settings. */
public final class PrintKernelInfo {
    private PrintKernelInfo() {}

    public static void main(String[] args) {
        System.out.println(KernelInfo.describe());
    }
}
