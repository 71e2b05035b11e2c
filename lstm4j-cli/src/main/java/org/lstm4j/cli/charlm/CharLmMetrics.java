package org.lstm4j.cli.charlm;

/**
 * One evaluation of a char-LM run, a line of {@code metrics.jsonl}.
 *
 * @param step            optimisation steps done
 * @param epoch           the epoch in progress (1-based)
 * @param tokens          characters trained on so far
 * @param trainSeconds    training time so far, evaluations excluded
 * @param wallSeconds     wall time since the run started, evaluations, samples and checkpoints included
 * @param trainLoss       mean training loss since the previous evaluation (nats per character), NaN if none
 * @param valLoss         validation loss, nats per character
 * @param valBpc          validation loss in bits per character
 * @param valAccuracy     how often the most likely character was the next one
 * @param lr              the learning rate of the last step
 * @param tokensPerSecond characters trained per second of training time since the previous evaluation
 */
public record CharLmMetrics(long step, int epoch, long tokens, double trainSeconds, double wallSeconds, double trainLoss,
        double valLoss, double valBpc, double valAccuracy, double lr, double tokensPerSecond) {}
