/**
 * Text for character-level models: strict UTF-8 reading ({@link org.lstm4j.text.TextFiles}), the
 * character {@link org.lstm4j.text.Vocabulary}, and a corpus split by position into training and validation
 * ({@link org.lstm4j.text.CharCorpus}).
 */
package org.lstm4j.text;
