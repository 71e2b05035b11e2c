package org.lstm4j.examples;

import java.nio.file.Path;
import org.lstm4j.nn.LSTM;
import org.lstm4j.nn.Linear;
import org.lstm4j.nn.MSELoss;
import org.lstm4j.nn.Module;
import org.lstm4j.optim.Adam;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.Tensor;

/** Learns to output, at every step, the running sum of a random input sequence. */
public class ReadmeExample {

    /** An LSTM and a linear read-out, composed like a PyTorch nn.Module. */
    static class Regressor extends Module {
        final LSTM lstm = registerModule("lstm", LSTM.builder(1, 32).batchFirst(true).build());
        final Linear head = registerModule("head", new Linear(32, 1));

        Tensor forward(Tensor x) {                     // x: (batch, seq, 1)
            return head.forward(lstm.forward(x).output());
        }
    }

    public static float train(Path checkpoint) throws Exception {
        Generator.manualSeed(0);
        Generator data = new Generator(1);
        Regressor model = new Regressor();
        Adam optimizer = new Adam(model.parameters(), 0.01);
        MSELoss mse = new MSELoss();
        float loss = Float.NaN;
        for (int step = 0; step < 300; step++) {
            float[] x = new float[16 * 10];
            float[] y = new float[16 * 10];
            for (int b = 0; b < 16; b++) {
                float sum = 0;
                for (int t = 0; t < 10; t++) {
                    x[b * 10 + t] = data.uniform(-0.5f, 0.5f);
                    sum += x[b * 10 + t];
                    y[b * 10 + t] = sum;
                }
            }
            Tensor prediction = model.forward(Tensor.of(x, 16, 10, 1));
            Tensor l = mse.forward(prediction, Tensor.of(y, 16, 10, 1));
            optimizer.zeroGrad();
            l.backward();
            optimizer.step();
            loss = l.item();
        }
        model.save(checkpoint);                      // safetensors, PyTorch names: lstm.weight_ih_l0, head.bias, ...
        return loss;
    }

    public static void main(String[] args) throws Exception {
        System.out.println("final MSE " + train(Path.of("regressor.safetensors")));
    }
}
