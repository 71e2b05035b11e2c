/**
 * Datasets and batching, after {@code torch.utils.data} and torchvision.
 *
 * <ul>
 *   <li>{@link org.lstm4j.data.Dataset}: a sized collection of examples that copies any selection of them,
 *       in a given order, into one {@link org.lstm4j.data.Batch} (inputs tensor plus targets).</li>
 *   <li>{@link org.lstm4j.data.TensorDataset}: examples are the rows of in-memory tensors.</li>
 *   <li>{@link org.lstm4j.data.ImageClassificationDataset}: grey images kept as bytes and converted to
 *       floats in [0, 1] only when batched (torchvision's {@code ToTensor}), read from IDX files by
 *       {@link org.lstm4j.data.IdxReader} (MNIST, Fashion-MNIST).</li>
 *   <li>{@link org.lstm4j.data.DataLoader}: batches, optionally shuffled by the loader's own
 *       {@link org.lstm4j.tensor.Generator}, with a {@link org.lstm4j.data.DataLoader.Position} that lets
 *       training resume in the middle of an epoch on exactly the batches it would have seen.</li>
 * </ul>
 */
package org.lstm4j.data;
