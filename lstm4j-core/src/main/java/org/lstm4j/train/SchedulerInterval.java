package org.lstm4j.train;

/** When the trainer advances its learning-rate scheduler: after every optimisation step, or after every epoch. */
public enum SchedulerInterval {
    /** {@code scheduler.step()} after each {@code optimizer.step()}: T_max and step sizes count steps. */
    STEP,
    /** {@code scheduler.step()} after each epoch, as in most PyTorch tutorials: they count epochs. */
    EPOCH
}
