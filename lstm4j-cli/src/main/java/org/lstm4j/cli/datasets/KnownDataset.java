package org.lstm4j.cli.datasets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The datasets the CLI knows how to download, by the name users type ({@code mnist},
 * {@code fashion-mnist}, {@code tinyshakespeare}), which is also their directory under the data root.
 * Checksums are the SHA-256 of the publishers' files (they match the MD5s the publishers document).
 */
public enum KnownDataset {
    /** MNIST handwritten digits (LeCun &amp; Cortes, CC BY-SA 3.0), IDX files, gzip-compressed. */
    MNIST("mnist",
            List.of("https://ossci-datasets.s3.amazonaws.com/mnist/",
                    "https://storage.googleapis.com/cvdf-datasets/mnist/",
                    // Last: it has at times refused downloads.
                    "http://yann.lecun.com/exdb/mnist/"),
            "train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            "train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            "t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            "t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),

    /** Fashion-MNIST (Zalando SE, MIT), same IDX layout as MNIST. */
    FASHION_MNIST("fashion-mnist",
            List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
            "train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
            "train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
            "t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
            "t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),

    /** Tiny Shakespeare (public domain), one ASCII text file, as in Karpathy's char-rnn. */
    TINY_SHAKESPEARE("tinyshakespeare",
            List.of("https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/"),
            "input.txt", "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed");

    private final String cliName;
    private final DatasetSpec spec;

    /**
     * @param mirrorBases    URL prefixes, in the order to try, each ending with {@code /}
     * @param namesAndHashes file name, SHA-256, file name, SHA-256, ...
     */
    KnownDataset(String cliName, List<String> mirrorBases, String... namesAndHashes) {
        this.cliName = cliName;
        List<RemoteFile> files = new ArrayList<>();
        for (int i = 0; i < namesAndHashes.length; i += 2) {
            files.add(RemoteFile.onMirrors(namesAndHashes[i], namesAndHashes[i + 1], mirrorBases));
        }
        this.spec = new DatasetSpec(cliName, files);
    }

    /** The name users type, e.g. {@code fashion-mnist}. */
    public String cliName() {
        return cliName;
    }

    /** Its directory under the data root, its files, their checksums and mirrors. */
    public DatasetSpec spec() {
        return spec;
    }

    /** The CLI name, so that picocli shows it in usage and errors. */
    @Override
    public String toString() {
        return cliName;
    }

    /**
     * Parses a CLI name ({@code mnist}, {@code fashion-mnist}, {@code tinyshakespeare}; any case,
     * surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the unknown value and the valid names
     */
    public static KnownDataset parse(String name) {
        String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (KnownDataset dataset : values()) {
            if (dataset.cliName.equals(wanted)) {
                return dataset;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + name + "': expected one of " + names());
    }

    /** {@code mnist, fashion-mnist, tinyshakespeare}. */
    public static String names() {
        return Arrays.stream(values()).map(KnownDataset::cliName).collect(Collectors.joining(", "));
    }
}
