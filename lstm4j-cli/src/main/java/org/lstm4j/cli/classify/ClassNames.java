package org.lstm4j.cli.classify;

import java.util.List;

/** The class names printed in confusion matrices and plots. */
final class ClassNames {
    private ClassNames() {}

    static final List<String> FASHION_MNIST = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");
    static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    static List<String> of(String dataset) {
        return dataset.equals("fashion-mnist") ? FASHION_MNIST : DIGITS;
    }
}
