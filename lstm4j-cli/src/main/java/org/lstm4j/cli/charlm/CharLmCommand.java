package org.lstm4j.cli.charlm;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lstm4j charlm}: the character-level language model's subcommands. */
@Command(
        name = "charlm",
        mixinStandardHelpOptions = true,
        versionProvider = org.lstm4j.cli.VersionProvider.class,
        description = "Character-level language model (char-rnn): train on a text, then write new text.",
        subcommands = {CharLmTrainCommand.class, CharLmSampleCommand.class})
public final class CharLmCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand: train or sample");
    }
}
