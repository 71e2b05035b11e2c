/**
 * {@code lstm4j charlm train|sample}: a character-level language model (char-rnn) over the library's
 * {@link org.lstm4j.models.CharLanguageModel}, {@link org.lstm4j.train.Trainer} with
 * {@link org.lstm4j.train.TruncatedBptt}, checkpoints and {@link org.lstm4j.models.CharSampler}.
 */
package org.lstm4j.cli.charlm;
