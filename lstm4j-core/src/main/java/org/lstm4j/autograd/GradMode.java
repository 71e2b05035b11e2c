package org.lstm4j.autograd;

/**
 * Whether operations record the graph for {@code backward()}: PyTorch's {@code torch.no_grad()}.
 * Per thread, so an evaluation on one thread never disables recording on another.
 *
 * <pre>{@code
 * try (GradMode.Guard g = GradMode.noGrad()) {
 *     Tensor y = model.forward(x);   // no graph, no saved activations
 * }
 * }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Disables recording until the returned guard is closed; guards nest. */
    public static Guard noGrad() {
        return set(false);
    }

    /** Enables recording until the returned guard is closed (inside a {@link #noGrad()} block). */
    public static Guard enableGrad() {
        return set(true);
    }

    private static Guard set(boolean enabled) {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = enabled;
        return () -> flag[0] = previous;
    }

    /** Restores the previous mode on close. */
    @FunctionalInterface
    public interface Guard extends AutoCloseable {
        @Override
        void close();
    }
}
