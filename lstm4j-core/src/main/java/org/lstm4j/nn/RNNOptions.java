package org.lstm4j.nn;

/**
 * The constructor arguments of {@link LSTM}, {@link GRU} and {@link RNN}, with PyTorch's names and defaults.
 * Built with {@link Builder}, e.g. {@code LSTM.builder(28, 128).numLayers(2).batchFirst(true).build()}.
 */
public record RNNOptions(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst,
        double dropout, boolean bidirectional, int projSize, String nonlinearity) {

    /** The error for a nonlinearity given to a layer that has none to choose. */
    static String nonlinearityRefusal(String layer, String nonlinearity) {
        return layer + ": nonlinearity applies only to RNN (tanh or relu); " + layer
                + " has fixed gate activations (sigmoid and tanh), got nonlinearity='" + nonlinearity + "'";
    }

    /** Fluent builder for one recurrent layer type; {@code build()} validates the arguments up front. */
    public static final class Builder<M extends RNNBase> {
        /** "LSTM", "GRU" or "RNN": which options apply. */
        private final String layer;
        private final java.util.function.BiFunction<RNNOptions, org.lstm4j.tensor.Generator, M> factory;
        private final int inputSize;
        private final int hiddenSize;
        private int numLayers = 1;
        private boolean bias = true;
        private boolean batchFirst;
        private double dropout;
        private boolean bidirectional;
        private int projSize;
        private String nonlinearity = "tanh";
        /** Whether {@link #nonlinearity} was called: refused for LSTM and GRU, which have no such option. */
        private boolean nonlinearityGiven;
        private org.lstm4j.tensor.Generator generator;

        Builder(String layer, java.util.function.BiFunction<RNNOptions, org.lstm4j.tensor.Generator, M> factory,
                int inputSize, int hiddenSize) {
            this.layer = layer;
            this.factory = factory;
            this.inputSize = inputSize;
            this.hiddenSize = hiddenSize;
        }

        public Builder<M> numLayers(int value) {
            numLayers = value;
            return this;
        }

        public Builder<M> bias(boolean value) {
            bias = value;
            return this;
        }

        /** Input and output as (B, T, feature) instead of (T, B, feature); states keep (L·D, B, H). */
        public Builder<M> batchFirst(boolean value) {
            batchFirst = value;
            return this;
        }

        /** Dropout on the outputs of every layer but the last, in training mode. */
        public Builder<M> dropout(double value) {
            dropout = value;
            return this;
        }

        public Builder<M> bidirectional(boolean value) {
            bidirectional = value;
            return this;
        }

        /** LSTM only: project h to this size with {@code weight_hr} (0 = no projection). */
        public Builder<M> projSize(int value) {
            projSize = value;
            return this;
        }

        /**
         * RNN only: "tanh" (default) or "relu". LSTM and GRU have fixed gate activations; {@link #build()}
         * refuses this option for them, as PyTorch does.
         */
        public Builder<M> nonlinearity(String value) {
            nonlinearity = java.util.Objects.requireNonNull(value, "nonlinearity");
            nonlinearityGiven = true;
            return this;
        }

        /**
         * The generator that initialises the weights and draws the inter-layer dropout masks (not an option of
         * PyTorch's constructor, but what {@code torch.Generator} arguments do elsewhere); unset, the
         * process-wide default is used, as in PyTorch.
         */
        public Builder<M> generator(org.lstm4j.tensor.Generator value) {
            generator = value;
            return this;
        }

        /**
         * The options as set so far.
         *
         * @throws IllegalArgumentException if an option was set that this layer type does not have
         *     ({@code nonlinearity} on LSTM or GRU)
         */
        public RNNOptions options() {
            if (nonlinearityGiven && !layer.equals("RNN")) {
                throw new IllegalArgumentException(nonlinearityRefusal(layer, nonlinearity));
            }
            return new RNNOptions(inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional,
                    projSize, nonlinearity);
        }

        public M build() {
            return factory.apply(options(), generator);
        }
    }
}
