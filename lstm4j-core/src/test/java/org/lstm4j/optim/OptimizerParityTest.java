package org.lstm4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.lstm4j.io.SafeTensors;
import org.lstm4j.io.SafeTensorsFile;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.testing.Fixtures;

/**
 * Every {@code fixtures/optim/*.safetensors} with an {@code optimizer} entry: PyTorch's parameters after each
 * of its steps, given the recorded gradients. Steps are numbered from 1 ({@code grad.s1.*} is set before the
 * first step, {@code after.s1.*} is its result).
 */
class OptimizerParityTest {
    private static final List<String> PARAMS = List.of("p0", "p1");

    @TestFactory
    Stream<DynamicTest> matchesPyTorch() {
        return optimizerFixtures().stream().map(path -> DynamicTest.dynamicTest(name(path), () -> {
            SafeTensorsFile f = Fixtures.load(path);
            List<Tensor> params = initialParams(f);
            Optimizer opt = build(f.metadata(), params);
            int steps = Integer.parseInt(f.meta("steps"));
            for (int s = 1; s <= steps; s++) {
                setGrads(f, params, s);
                opt.step();
                for (int k = 0; k < PARAMS.size(); k++) {
                    String key = "after.s" + s + "." + PARAMS.get(k);
                    Fixtures.assertClose(name(path) + " " + key, f.get(key), params.get(k));
                }
            }
        }));
    }

    /** Save after 3 steps, write/read as safetensors, load into a fresh optimizer, 2 more: bit-identical. */
    @TestFactory
    Stream<DynamicTest> resumesBitExactlyFromStateDict() {
        return optimizerFixtures().stream().map(path -> DynamicTest.dynamicTest(name(path), () -> {
            SafeTensorsFile f = Fixtures.load(path);
            int steps = Integer.parseInt(f.meta("steps"));
            int split = 3;

            List<Tensor> straight = initialParams(f);
            Optimizer a = build(f.metadata(), straight);
            for (int s = 1; s <= steps; s++) {
                setGrads(f, straight, s);
                a.step();
            }

            List<Tensor> resumed = initialParams(f);
            Optimizer b = build(f.metadata(), resumed);
            for (int s = 1; s <= split; s++) {
                setGrads(f, resumed, s);
                b.step();
            }
            byte[] checkpoint = SafeTensors.toBytes(b.stateDict(), Map.of());
            Map<String, Tensor> state = SafeTensors.fromBytes(checkpoint, "checkpoint").tensors();
            List<Tensor> copies = new ArrayList<>();
            for (Tensor p : resumed) {
                copies.add(p.copy().requiresGrad(true));
            }
            Optimizer c = build(f.metadata(), copies);
            c.loadStateDict(state);
            assertEquals(b.hyperparameters(), c.hyperparameters());
            for (int s = split + 1; s <= steps; s++) {
                setGrads(f, copies, s);
                c.step();
            }
            for (int k = 0; k < straight.size(); k++) {
                assertArrayEquals(straight.get(k).data(), copies.get(k).data(), name(path) + " " + PARAMS.get(k));
            }
        }));
    }

    static List<Path> optimizerFixtures() {
        List<Path> out = new ArrayList<>();
        for (Path p : Fixtures.list("optim")) {
            if (Fixtures.load(p).metadata().containsKey("optimizer")) {
                out.add(p);
            }
        }
        return out;
    }

    private static String name(Path path) {
        return path.getFileName().toString().replace(".safetensors", "");
    }

    private static List<Tensor> initialParams(SafeTensorsFile f) {
        List<Tensor> params = new ArrayList<>();
        for (String k : PARAMS) {
            params.add(f.get("init." + k).copy().requiresGrad(true));
        }
        return params;
    }

    private static void setGrads(SafeTensorsFile f, List<Tensor> params, int step) {
        for (int k = 0; k < PARAMS.size(); k++) {
            params.get(k).setGrad(f.get("grad.s" + step + "." + PARAMS.get(k)).copy());
        }
    }

    /** The optimizer the metadata describes, hyperparameters by their PyTorch names. */
    static Optimizer build(Map<String, String> m, List<Tensor> params) {
        String kind = m.get("optimizer");
        double lr = Double.parseDouble(m.get("lr"));
        boolean maximize = bool(m, "maximize");
        switch (kind) {
            case "SGD":
                return SGD.builder(params, lr)
                        .momentum(num(m, "momentum"))
                        .dampening(num(m, "dampening"))
                        .weightDecay(num(m, "weight_decay"))
                        .nesterov(bool(m, "nesterov"))
                        .maximize(maximize)
                        .build();
            case "Adam":
            case "AdamW": {
                String[] betas = m.get("betas").split(",");
                double b1 = Double.parseDouble(betas[0]);
                double b2 = Double.parseDouble(betas[1]);
                double eps = num(m, "eps");
                double wd = num(m, "weight_decay");
                boolean ams = bool(m, "amsgrad");
                return kind.equals("Adam")
                        ? Adam.builder(params).lr(lr).betas(b1, b2).eps(eps).weightDecay(wd).amsgrad(ams).maximize(maximize).build()
                        : AdamW.builder(params).lr(lr).betas(b1, b2).eps(eps).weightDecay(wd).amsgrad(ams).maximize(maximize).build();
            }
            case "RMSprop":
                return RMSprop.builder(params)
                        .lr(lr)
                        .alpha(num(m, "alpha"))
                        .eps(num(m, "eps"))
                        .weightDecay(num(m, "weight_decay"))
                        .momentum(num(m, "momentum"))
                        .centered(bool(m, "centered"))
                        .maximize(maximize)
                        .build();
            default:
                throw new AssertionError("fixture names an unknown optimizer: " + kind);
        }
    }

    private static double num(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new AssertionError("fixture metadata has no '" + key + "'");
        }
        return Double.parseDouble(v);
    }

    private static boolean bool(Map<String, String> m, String key) {
        String v = m.getOrDefault(key, "false");
        if (!v.equals("true") && !v.equals("false")) {
            throw new AssertionError("fixture metadata '" + key + "' is not true/false: " + v);
        }
        return v.equals("true");
    }
}
