package org.lstm4j.nn;

import java.util.Objects;
import org.lstm4j.autograd.Node;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Shape;
import org.lstm4j.tensor.Tensor;

/** A lookup table: indices of any shape → their rows of {@code weight} (num, dim), initialised N(0, 1). */
public class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final Tensor weight;

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null);
    }

    /** With the generator that draws the initial table (null: the process-wide default). */
    public Embedding(int numEmbeddings, int embeddingDim, Generator generator) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding needs positive sizes, got num_embeddings=" + numEmbeddings
                    + ", embedding_dim=" + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.weight = registerParameter("weight", Tensor.randn(generator != null ? generator : Generator.getDefault(), numEmbeddings, embeddingDim));
    }

    public Tensor forward(IndexTensor indices) {
        Objects.requireNonNull(indices, "indices");
        int[] idx = indices.data();
        float[] table = weight.data();
        float[] out = new float[Shape.arrayLength("Embedding output", new String[] {"indices", "embedding_dim"},
                new int[] {idx.length, embeddingDim}, "look up fewer indices per call")];
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= numEmbeddings) {
                throw new IndexOutOfBoundsException("embedding index " + idx[i] + " at position " + i
                        + " is out of range [0, " + numEmbeddings + ")");
            }
            System.arraycopy(table, idx[i] * embeddingDim, out, i * embeddingDim, embeddingDim);
        }
        int[] inShape = indices.shape();
        int[] outShape = java.util.Arrays.copyOf(inShape, inShape.length + 1);
        outShape[inShape.length] = embeddingDim;
        Tensor result = Tensor.of(out, outShape);
        if (Node.shouldRecord(weight)) {
            new Node("embedding", weight) {
                @Override
                protected float[][] backward(float[][] g) {
                    float[] gw = new float[table.length];
                    for (int i = 0; i < idx.length; i++) {
                        int row = idx[i] * embeddingDim;
                        for (int d = 0; d < embeddingDim; d++) {
                            gw[row + d] += g[0][i * embeddingDim + d];
                        }
                    }
                    return new float[][] {gw};
                }
            }.attach(result);
        }
        return result;
    }

    public Tensor weight() {
        return weight;
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim;
    }
}
