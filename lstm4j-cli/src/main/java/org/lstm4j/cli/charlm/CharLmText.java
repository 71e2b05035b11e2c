package org.lstm4j.cli.charlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.lstm4j.cli.datasets.DatasetDownloader;
import org.lstm4j.cli.datasets.DownloadProgress;
import org.lstm4j.cli.datasets.KnownDataset;
import org.lstm4j.text.TextFiles;
import org.lstm4j.train.Checkpoint;

/** Where a run's text comes from: a file, or a known dataset (downloaded with checksum if missing). */
record CharLmText(Path file, String dataset) {
    /** The file of the Tiny Shakespeare dataset. */
    static final String TINY_SHAKESPEARE_FILE = "input.txt";

    static CharLmText of(Path file, String dataset) {
        if (file != null && dataset != null) {
            throw new IllegalArgumentException("give --text or --dataset, not both");
        }
        if (file == null) {
            String name = dataset == null ? KnownDataset.TINY_SHAKESPEARE.cliName() : dataset;
            KnownDataset known = KnownDataset.parse(name);
            if (known != KnownDataset.TINY_SHAKESPEARE) {
                throw new IllegalArgumentException("--dataset " + name + " is not a text; charlm trains on "
                        + KnownDataset.TINY_SHAKESPEARE.cliName() + " or a file given with --text");
            }
            return new CharLmText(null, known.cliName());
        }
        return new CharLmText(file, null);
    }

    /** The source as checkpoints save it. */
    JsonNode toJson() {
        ObjectNode node = Checkpoint.json().createObjectNode();
        if (file != null) {
            node.put("text", file.toAbsolutePath().toString());
        } else {
            node.put("dataset", dataset);
        }
        return node;
    }

    /** The source a checkpoint saved, or null. */
    static CharLmText fromJson(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.hasNonNull("text")) {
            return new CharLmText(Path.of(node.get("text").asText()), null);
        }
        return node.hasNonNull("dataset") ? new CharLmText(null, node.get("dataset").asText()) : null;
    }

    /** A short name for output directories and titles. */
    String name() {
        if (dataset != null) {
            return dataset;
        }
        String f = file.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    /** The text, read as strict UTF-8. */
    String read(Path dataRoot, DownloadProgress progress) throws IOException {
        if (file != null) {
            return TextFiles.readUtf8(file);
        }
        Path dir = new DatasetDownloader(progress).ensure(KnownDataset.parse(dataset).spec(), dataRoot);
        return TextFiles.readUtf8(dir.resolve(TINY_SHAKESPEARE_FILE));
    }

    /** The source for messages. */
    String describe() {
        return file != null ? file.toString() : "dataset " + dataset;
    }
}
