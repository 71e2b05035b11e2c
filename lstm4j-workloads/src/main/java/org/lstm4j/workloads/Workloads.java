package org.lstm4j.workloads;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.lstm4j.workloads.WorkloadSpec.Cell;
import org.lstm4j.workloads.WorkloadSpec.Head;
import org.lstm4j.workloads.WorkloadSpec.Loss;

/** The registry of the fixed workloads, in the order they run with {@code --workload all}. */
public final class Workloads {
    /** Selects every workload. */
    public static final String ALL = "all";

    private static final List<WorkloadSpec> SPECS = List.of(
            new WorkloadSpec("charlm", Mode.TRAIN, "one-hot 65 -> LSTM 2x256 -> Linear 65, cross-entropy on every step",
                    Cell.LSTM, 65, 256, 2, false, 64, 100, Head.EVERY_STEP, 65, Loss.CROSS_ENTROPY),
            new WorkloadSpec("rows", Mode.TRAIN, "LSTM 2x128 on 28 inputs -> Linear 10 on the last step, cross-entropy",
                    Cell.LSTM, 28, 128, 2, false, 100, 28, Head.LAST_STEP, 10, Loss.CROSS_ENTROPY),
            new WorkloadSpec("rows-gru", Mode.TRAIN, "as rows, GRU",
                    Cell.GRU, 28, 128, 2, false, 100, 28, Head.LAST_STEP, 10, Loss.CROSS_ENTROPY),
            new WorkloadSpec("rows-bi", Mode.TRAIN, "as rows, bidirectional",
                    Cell.LSTM, 28, 128, 2, true, 100, 28, Head.LAST_STEP, 10, Loss.CROSS_ENTROPY),
            new WorkloadSpec("sine", Mode.TRAIN, "LSTM 1x32 on 1 input -> Linear 1 on every step, MSE, state carried",
                    Cell.LSTM, 1, 32, 1, false, 1, 20, Head.EVERY_STEP, 1, Loss.MSE),
            new WorkloadSpec("infer-large", Mode.INFER,
                    "LSTM 1x512 on 256 inputs, forward only through lstm.inference()",
                    Cell.LSTM, 256, 512, 1, false, 32, 200, Head.NONE, 0, Loss.NONE),
            new WorkloadSpec("stream", Mode.INFER, "LSTM 2x256 on 65 inputs, one time step per call, state carried",
                    Cell.LSTM, 65, 256, 2, false, 1, 1, Head.NONE, 0, Loss.NONE));

    private Workloads() {}

    /** All workloads, in run order. */
    public static List<WorkloadSpec> all() {
        return SPECS;
    }

    /** The workload of that name (case-sensitive, as listed). */
    public static Optional<WorkloadSpec> byName(String name) {
        return SPECS.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** {@code charlm, rows, ...}: for error messages and help. */
    public static String names() {
        return SPECS.stream().map(WorkloadSpec::name).collect(Collectors.joining(", "));
    }

    /** The workloads a {@code --workload} value selects: one by name, or all for {@value #ALL}. */
    public static List<WorkloadSpec> select(String nameOrAll) {
        if (ALL.equals(nameOrAll)) {
            return SPECS;
        }
        return byName(nameOrAll).map(List::of).orElseThrow(() -> new IllegalArgumentException(
                "unknown workload '" + nameOrAll + "': expected one of " + names() + " or " + ALL));
    }
}
