/**
 * Ready-made models built from a configuration record, which is what a checkpoint stores to rebuild them:
 * {@link org.lstm4j.models.RecurrentClassifier}.
 */
package org.lstm4j.models;
