package org.lstm4j.train;

import java.util.Objects;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/**
 * Top-1 classification accuracy from logits: a sample is correct when the argmax of its logits (first index
 * among ties, as {@code torch.argmax}) equals its label. Softmax is monotonic, so logits and probabilities
 * give the same answer.
 */
public final class Accuracy {
    private Accuracy() {}

    /**
     * How many of the N samples are predicted correctly.
     *
     * @param logits (N, C) scores, one row per sample
     * @param labels (N) class indices in [0, C)
     * @throws IllegalArgumentException on other shapes, C = 0, or a label outside [0, C)
     */
    public static int correct(Tensor logits, IndexTensor labels) {
        int[] predicted = predictions(logits, labels, "Accuracy");
        int[] actual = labels.data();
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            correct += predicted[i] == actual[i] ? 1 : 0;
        }
        return correct;
    }

    /**
     * The fraction of samples predicted correctly, {@code correct / N}; NaN for an empty batch (N = 0), as
     * PyTorch's mean of nothing.
     *
     * @see #correct(Tensor, IndexTensor) for the shapes and errors
     */
    public static double top1(Tensor logits, IndexTensor labels) {
        return (double) correct(logits, labels) / labels.numel();
    }

    /**
     * The predicted class of each row of (N, C) logits, after checking the shapes and the labels' range;
     * {@code who} names the caller in the errors.
     */
    static int[] predictions(Tensor logits, IndexTensor labels, String who) {
        Objects.requireNonNull(logits, "logits");
        Objects.requireNonNull(labels, "labels");
        if (logits.dim() != 2) {
            throw new IllegalArgumentException(who + " expects logits of shape (N, C), got " + logits.dim()
                    + "-D shape " + Shape.toString(logits.shape()) + " (reshape a (B, T, C) output to (B*T, C))");
        }
        int n = logits.size(0);
        int classes = logits.size(1);
        if (labels.dim() != 1 || labels.numel() != n) {
            throw new IllegalArgumentException(who + ": logits of shape " + Shape.toString(logits.shape())
                    + " need labels of shape [" + n + "], got " + Shape.toString(labels.shape()));
        }
        if (classes == 0) {
            throw new IllegalArgumentException(who + ": logits of shape " + Shape.toString(logits.shape())
                    + " have no classes");
        }
        int[] actual = labels.data();
        for (int i = 0; i < n; i++) {
            if (actual[i] < 0 || actual[i] >= classes) {
                throw new IllegalArgumentException(who + ": label[" + i + "] = " + actual[i] + " is out of range for "
                        + classes + " classes (expected in [0, " + classes + "))");
            }
        }
        return n == 0 ? new int[0] : logits.argmax(1).data();
    }
}
