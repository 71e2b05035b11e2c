package org.lstm4j.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lstm4j.data.DataLoader;
import org.lstm4j.data.IdxReader;
import org.lstm4j.data.ImageClassificationDataset;
import org.lstm4j.data.TensorDataset;
import org.lstm4j.io.SafeTensors;
import org.lstm4j.models.RecurrentClassifier;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.nn.LSTM;
import org.lstm4j.optim.Adam;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.tensor.Tensor;
import org.lstm4j.train.Checkpoint;
import org.lstm4j.train.Trainer;

/** The library's rows of docs/bad-inputs.md: each bad input fed in, its error recorded. */
class BadInputsDocTest {
    @TempDir
    Path tmp;

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(tmp.resolve(name), bytes);
    }

    private static byte[] idxHeader(int magic, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    private static byte[] gzip(byte[] raw) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    /** A safetensors file: the 8-byte little-endian header length, the header, then {@code dataBytes} zeros. */
    private static byte[] safetensorsWithHeader(String header, int dataBytes) {
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    /** An Adam that has taken one step on a (4, 3) parameter, so its state has every entry. */
    private static Adam trainedAdam() {
        Tensor p = Tensor.ones(4, 3).requiresGrad(true);
        Adam adam = new Adam(java.util.List.of(p), 1e-3);
        p.mul(p).sum().backward();
        adam.step();
        return adam;
    }

    /** Loads Adam's own state with one entry replaced. */
    private static void adamWith(String key, Tensor value) {
        Adam adam = trainedAdam();
        Map<String, Tensor> state = new java.util.LinkedHashMap<>(adam.stateDict());
        state.put(key, value);
        adam.loadStateDict(state);
    }

    @Test
    void libraryErrorsAreThoseThePageLists() throws Exception {
        Path page = Path.of("../docs/bad-inputs.md");
        byte[] labels = idxHeader(0x801, 3);
        byte[] truncated = new byte[16 + 100];
        ByteBuffer.wrap(truncated).putInt(0x803).putInt(1).putInt(28).putInt(28);
        Generator g = new Generator(0);
        RecurrentClassifier model = new RecurrentClassifier(new RecurrentClassifier.Config("lstm", 3, 4, 1, false, 0, 2,
                "pytorch"), g);
        Adam adam = new Adam(model.parameters(), 1e-3);
        Trainer<IndexTensor> trainer = Trainer.builder(model, model::forward, new CrossEntropyLoss(), adam).build();
        Files.createDirectories(tmp.resolve("empty"));
        Path ckptRoot = tmp.resolve("ckpt");
        trainer.saveCheckpoint(ckptRoot, Checkpoint.toJson(model.config()), null, false);
        RecurrentClassifier wider = new RecurrentClassifier(new RecurrentClassifier.Config("lstm", 3, 5, 1, false, 0, 2,
                "pytorch"), g);
        Trainer<IndexTensor> widerTrainer = Trainer.builder(wider, wider::forward, new CrossEntropyLoss(),
                new Adam(wider.parameters(), 1e-3)).build();

        new BadInputsDoc("core")
                .replacing(tmp.toString(), "<dir>")
                .add("IDX: a labels file read as images", () -> IdxReader.readImages(write("labels", labels)))
                .add("IDX: an images file cut short", () -> IdxReader.readImages(write("short", truncated)))
                .add("IDX: a gzip'd images file cut short", () -> IdxReader.readImages(write("short.gz", gzip(truncated))))
                .add("IDX: a tiny file declaring 2^31 pixels", () -> IdxReader.readImages(write("huge",
                        idxHeader(0x803, 1 << 15, 256, 256))))
                .add("IDX: a directory without the train images", () -> ImageClassificationDataset.loadIdx(tmp, "train"))
                .add("TensorDataset: 5 inputs, 4 labels", () -> TensorDataset.ofClasses(Tensor.zeros(5, 2, 3),
                        IndexTensor.of(new int[4])))
                .add("DataLoader: batch size 0", () -> DataLoader.builder(TensorDataset.ofValues(Tensor.zeros(2, 1),
                        Tensor.zeros(2, 1))).batchSize(0))
                .add("Generator state of 3 words", () -> Generator.State.fromInts(new int[] {1, 2, 3}, "state.json"))
                .add("Checkpoint: a directory that holds none", () -> Checkpoint.load(tmp.resolve("empty")))
                .add("Checkpoint: restored into a wider model", () -> widerTrainer.restore(Checkpoint.load(ckptRoot), null))
                .add("Checkpoint: its optimizer state deleted", () -> {
                    Files.delete(Checkpoint.load(ckptRoot).directory().resolve(Checkpoint.OPTIMIZER));
                    Checkpoint.load(ckptRoot);
                })
                .add("Trainer: fit with 0 epochs", () -> trainer.fit(DataLoader.builder(TensorDataset.ofClasses(
                        Tensor.zeros(4, 2, 3), IndexTensor.of(new int[4]))).build(), 0))
                .add("RecurrentClassifier: cell \"transformer\"", () -> new RecurrentClassifier.Config("transformer", 28,
                        16, 1, false, 0, 10, "pytorch"))
                .add("RecurrentClassifier: 2-D input", () -> model.forward(Tensor.zeros(5, 3)))
                .add("LSTM: input of 4 features into input_size 3", () -> new LSTM(3, 4).forward(Tensor.zeros(2, 1, 4)))
                .add("safetensors: 8 bytes of junk", () -> SafeTensors.read(write("junk.safetensors",
                        new byte[] {1, 2, 3, 4, 5, 6, 7, 8})))
                .add("safetensors: a strict load with a missing key", () -> new LSTM(3, 4).loadStateDict(Map.of()))
                .add("safetensors: a directory given as the file", () -> SafeTensors.read(tmp))
                .add("safetensors: the same tensor name twice", () -> SafeTensors.read(write("dup.safetensors",
                        safetensorsWithHeader("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                                + "\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8))))
                .add("safetensors: an 87-byte file declaring a 1 GB tensor", () -> SafeTensors.read(write("big.safetensors",
                        safetensorsWithHeader("{\"w\":{\"dtype\":\"F32\",\"shape\":[268435456],\"data_offsets\":[0,1073741824]}}", 8))))
                .add("Checkpoint: the index names ../elsewhere", () -> {
                    Files.writeString(ckptRoot.resolve(Checkpoint.INDEX), "{\"latest\": \"../elsewhere\"}");
                    Checkpoint.load(ckptRoot);
                })
                .add("autograd: backward() twice on the same graph", () -> {
                    Tensor loss = new LSTM(3, 4).forward(Tensor.ones(2, 1, 3)).output().sum();
                    loss.backward();
                    loss.backward();
                })
                .add("LSTM with nonlinearity \"relu\"", () -> LSTM.builder(3, 4).nonlinearity("relu").build())
                .add("a tensor of 65536 x 65536", () -> Tensor.zeros(65536, 65536))
                .add("LSTM(1, 1024) over 100,000 steps of batch 64", () -> new LSTM(1, 1024).forward(Tensor.zeros(100000, 64, 1)))
                .add("a strict load with 30 unexpected keys", () -> {
                    Map<String, Tensor> state = new java.util.LinkedHashMap<>(new LSTM(3, 4).stateDict());
                    for (int i = 0; i < 30; i++) {
                        state.put("extra." + i, Tensor.zeros(1));
                    }
                    new LSTM(3, 4).loadStateDict(state);
                })
                .add("Adam state: step 1e30", () -> adamWith("state.0.step", Tensor.scalar(1e30f)))
                .add("Adam state: lr = Infinity", () -> adamWith("param_groups.0.lr", Tensor.scalar(Float.POSITIVE_INFINITY)))
                .add("Adam state: a negative exp_avg_sq", () -> adamWith("state.0.exp_avg_sq", Tensor.full(-2f, 4, 3)))
                .add("Adam state: key state.00.step", () -> {
                    Map<String, Tensor> state = new java.util.LinkedHashMap<>(trainedAdam().stateDict());
                    state.put("state.00.step", state.remove("state.0.step"));
                    trainedAdam().loadStateDict(state);
                })
                .check(page);
    }
}
