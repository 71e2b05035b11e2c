package org.lstm4j.cli.plot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the README's char-LM comparison figure: validation loss against steps and wall time of an lstm4j run
 * ({@code metrics.jsonl}) and of {@code bench/charlm_pytorch.py} with the same recipe ({@code --out FILE}).
 * Not a test; run it with the test classpath:
 *
 * <pre>mvn -q -pl lstm4j-cli test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.lstm4j.cli.plot.CharLmComparisonFigure \
 *     -Dexec.args="LSTM4J_METRICS PYTORCH_JSONL OUT.png TITLE"</pre>
 */
public final class CharLmComparisonFigure {
    private CharLmComparisonFigure() {}

    public static void main(String[] args) throws Exception {
        LossCurves.Curve lstm4j = curve("lstm4j validation", Path.of(args[0]), "wallSeconds", "valLoss");
        LossCurves.Curve pytorch = curve("PyTorch 1.13 validation", Path.of(args[1]), "wall_seconds", "val_loss");
        LossCurves.write(List.of(lstm4j, pytorch), args.length > 3 ? args[3] : "char-LM, same recipe", Path.of(args[2]));
    }

    private static LossCurves.Curve curve(String label, Path jsonl, String wallKey, String lossKey) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<double[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            if (!line.isBlank()) {
                JsonNode n = json.readTree(line);
                rows.add(new double[] {n.get("step").asDouble(), n.get(wallKey).asDouble(), n.get(lossKey).asDouble()});
            }
        }
        double[] steps = rows.stream().mapToDouble(r -> r[0]).toArray();
        double[] seconds = rows.stream().mapToDouble(r -> r[1]).toArray();
        double[] loss = rows.stream().mapToDouble(r -> r[2]).toArray();
        return new LossCurves.Curve(label, steps, seconds, loss);
    }
}
