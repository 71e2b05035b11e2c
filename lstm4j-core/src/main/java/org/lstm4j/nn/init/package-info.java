/**
 * Parameter initialisation: {@link org.lstm4j.nn.init.Init} has PyTorch's {@code torch.nn.init} functions
 * (uniform, Xavier/Glorot uniform, orthogonal, zeros, constant), and {@link org.lstm4j.nn.init.KerasInit}
 * re-initialises a whole model the way Keras initialises its layers, for training recipes tuned with Keras
 * defaults.
 */
package org.lstm4j.nn.init;
