package org.lstm4j.cli.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownDatasetTest {
    @Test
    void parsesTheCliNamesInAnyCase() {
        assertSame(KnownDataset.MNIST, KnownDataset.parse("mnist"));
        assertSame(KnownDataset.FASHION_MNIST, KnownDataset.parse("Fashion-MNIST"));
        assertSame(KnownDataset.TINY_SHAKESPEARE, KnownDataset.parse(" tinyshakespeare "));
    }

    @Test
    void anUnknownNameIsAnErrorListingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KnownDataset.parse("cifar10"));
        assertEquals("unknown dataset 'cifar10': expected one of mnist, fashion-mnist, tinyshakespeare", e.getMessage());
        // The enum constant's name is not a CLI name.
        assertThrows(IllegalArgumentException.class, () -> KnownDataset.parse("fashion_mnist"));
    }

    @Test
    void theDirectoryIsTheCliName() {
        for (KnownDataset dataset : KnownDataset.values()) {
            assertEquals(dataset.cliName(), dataset.spec().directory());
            assertEquals(dataset.cliName(), dataset.toString());
        }
    }

    @Test
    void mnistTriesItsMirrorsInTheDocumentedOrder() {
        RemoteFile trainImages = KnownDataset.MNIST.spec().files().get(0);
        assertEquals("train-images-idx3-ubyte.gz", trainImages.name());
        assertEquals("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", trainImages.sha256());
        assertEquals(List.of(
                URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz"),
                URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/train-images-idx3-ubyte.gz"),
                URI.create("http://yann.lecun.com/exdb/mnist/train-images-idx3-ubyte.gz")), trainImages.urls());
    }

    @Test
    void everyFileUrlEndsWithItsName() {
        for (KnownDataset dataset : KnownDataset.values()) {
            for (RemoteFile file : dataset.spec().files()) {
                for (URI url : file.urls()) {
                    assertTrue(url.getPath().endsWith("/" + file.name()), url + " for " + file.name());
                }
            }
        }
        assertEquals(4, KnownDataset.FASHION_MNIST.spec().files().size());
        assertEquals(2, KnownDataset.FASHION_MNIST.spec().files().get(0).urls().size());
        assertEquals(URI.create("https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt"),
                KnownDataset.TINY_SHAKESPEARE.spec().files().get(0).urls().get(0));
    }
}
