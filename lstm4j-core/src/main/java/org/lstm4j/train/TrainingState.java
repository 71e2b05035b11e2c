package org.lstm4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.lstm4j.data.DataLoader;
import org.lstm4j.tensor.Generator;

/**
 * A trainer's progress as a checkpoint stores it (JSON): epochs and steps done, where the current epoch
 * stands, the partial sums of its training loss, the timers, the generator states and the history.
 *
 * @param epochsDone     completed epochs
 * @param step           optimisation steps taken
 * @param position       the position in the current epoch, null between epochs
 * @param epochLossSum   sum over the current epoch's batches of loss × batch size
 * @param epochExamples  examples seen in the current epoch
 * @param epochSeconds   training wall time of the current epoch so far
 * @param elapsedSeconds training wall time of the run so far
 * @param generators     generator states by name ({@link Generator.State#toInts()})
 * @param history        the completed epochs
 * @param extra          the application's own data, or null
 */
public record TrainingState(int epochsDone, long step, Position position, double epochLossSum, long epochExamples,
        double epochSeconds, double elapsedSeconds, Map<String, int[]> generators, List<History> history,
        JsonNode extra) {

    /**
     * {@link DataLoader.Position} in JSON form.
     *
     * @param orderState  the loader generator's state before the epoch's order was drawn (null: no shuffling)
     * @param batchesDone batches of the epoch already trained on
     */
    public record Position(int[] orderState, int batchesDone) {
        static Position of(DataLoader.Position p) {
            return new Position(p.orderState() == null ? null : p.orderState().toInts(), p.batchesDone());
        }

        DataLoader.Position toPosition(String where) {
            if (batchesDone < 0) {
                throw new IllegalArgumentException(where + ": batchesDone must be >= 0, got " + batchesDone);
            }
            return new DataLoader.Position(orderState == null ? null : Generator.State.fromInts(orderState,
                    where + " epoch order state"), batchesDone);
        }
    }

    /** One {@link EpochResult} in JSON form (the validation's confusion matrix is not kept). */
    public record History(int epoch, long step, double trainLoss, long examples, double epochSeconds,
            double elapsedSeconds, Double validationLoss, Double validationAccuracy, Long validationExamples,
            Double validationSeconds) {
        public static List<History> of(List<EpochResult> results) {
            return results.stream().map(r -> {
                Evaluation v = r.validation();
                return new History(r.epoch(), r.step(), r.trainLoss(), r.examples(), r.epochSeconds(), r.elapsedSeconds(),
                        v == null ? null : v.loss(), v == null ? null : v.accuracy(), v == null ? null : v.examples(),
                        v == null ? null : v.seconds());
            }).toList();
        }

        public EpochResult toResult() {
            Evaluation v = validationLoss == null ? null : new Evaluation(validationLoss,
                    validationAccuracy == null ? Double.NaN : validationAccuracy,
                    validationExamples == null ? 0 : validationExamples, validationSeconds == null ? 0 : validationSeconds, null);
            return new EpochResult(epoch, step, trainLoss, examples, epochSeconds, elapsedSeconds, v);
        }
    }
}
