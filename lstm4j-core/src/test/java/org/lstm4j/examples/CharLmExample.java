package org.lstm4j.examples;

import java.nio.file.Path;
import org.lstm4j.data.DataLoader;
import org.lstm4j.data.ParallelStreams;
import org.lstm4j.models.CharLanguageModel;
import org.lstm4j.models.CharSampler;
import org.lstm4j.nn.CrossEntropyLoss;
import org.lstm4j.optim.Adam;
import org.lstm4j.tensor.Generator;
import org.lstm4j.tensor.IndexTensor;
import org.lstm4j.text.CharCorpus;
import org.lstm4j.text.TextFiles;
import org.lstm4j.train.Evaluation;
import org.lstm4j.train.LanguageModelEvaluator;
import org.lstm4j.train.Trainer;
import org.lstm4j.train.TrainingListener;
import org.lstm4j.train.TruncatedBptt;

/** A character-level language model trained by truncated BPTT with the library's API, then sampled. */
public class CharLmExample {

    public static Evaluation train(Path textFile, long steps, StringBuilder sample) throws Exception {
        CharCorpus corpus = CharCorpus.split(TextFiles.readUtf8(textFile), null, 0.1);   // last 10% validates
        int streams = 16;
        int window = 64;
        ParallelStreams train = new ParallelStreams(corpus.train(), streams, window);
        ParallelStreams validation = new ParallelStreams(corpus.validation(), 4, window);
        DataLoader<IndexTensor> loader = DataLoader.builder(train).batchSize(streams).build();  // in order: window w of every stream

        Generator modelGenerator = new Generator(0);
        CharLanguageModel.Config config = new CharLanguageModel.Config(corpus.vocabulary().characters(), "lstm",
                32, 128, 1, 0.0, CharLanguageModel.Head.EVERY_STEP);
        CharLanguageModel model = new CharLanguageModel(config, modelGenerator);
        TruncatedBptt bptt = new TruncatedBptt(model::forward);  // carries the detached state from batch to batch

        Trainer<IndexTensor> trainer = Trainer.builder(model, bptt, new CrossEntropyLoss(), new Adam(model.parameters(), 3e-3))
                .carriedState(bptt)                              // reset every epoch, saved in checkpoints
                .clipGradNorm(5)
                .maxSteps(steps)
                .evaluator(new LanguageModelEvaluator(model, model::forward, validation))
                .evaluateEvery(100)
                .generator("model", modelGenerator)
                .listener(new TrainingListener() {
                    @Override
                    public void onEvaluation(Trainer<?> t, long step, Evaluation e) {
                        System.out.printf("step %d: validation %.3f nats/char%n", step, e.loss());
                    }
                })
                .build();
        trainer.fit(loader, 1000);

        CharSampler sampler = model.sampler(new Generator(42));  // one-row serving path, nothing allocated per character
        sampler.generate("ROMEO:", 200, 0.8, 0, sample::appendCodePoint);
        return trainer.evaluate();
    }

    public static void main(String[] args) throws Exception {
        StringBuilder sample = new StringBuilder();
        Evaluation e = train(Path.of(args[0]), 300, sample);
        System.out.printf("validation %.3f nats/char%n%s%n", e.loss(), sample);
    }
}
