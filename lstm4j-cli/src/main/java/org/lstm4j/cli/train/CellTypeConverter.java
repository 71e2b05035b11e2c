package org.lstm4j.cli.train;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code --cell}; unlike picocli's enum converter, its error lists the names users type
 * ({@code [lstm, gru, rnn]}) rather than the upper-case constants.
 */
public final class CellTypeConverter implements ITypeConverter<CellType> {
    @Override
    public CellType convert(String value) {
        try {
            return CellType.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("expected one of [" + CellType.names() + "] but was '" + value + "'");
        }
    }
}
