package org.lstm4j.cli.sine;

/**
 * Outcome of a sine→cosine run. Arrays are owned by the record's creator and not copied: treat them as
 * read-only.
 *
 * @param losses     training loss of every step, in order ({@code losses.length == steps})
 * @param t          time points of the last window
 * @param target     cos(t) on the last window
 * @param prediction the model's output on the last window (from the last training step's forward pass)
 * @param finalMse   MSE of {@code prediction} against {@code target}: the last step's loss
 */
public record SineResult(float[] losses, float[] t, float[] target, float[] prediction, float finalMse) {}
