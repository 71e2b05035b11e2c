package org.lstm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void helpListsSubcommandsAndExitsZero() {
        CliRun run = CliRun.of("--help");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("Usage: lstm4j"), run.out());
        assertTrue(run.out().contains("sine"), run.out());
        assertTrue(run.out().contains("--version"), run.out());
    }

    @Test
    void versionNamesTheProjectVersion() {
        CliRun run = CliRun.of("--version");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("lstm4j "), run.out());
        assertTrue(run.out().contains(VersionProvider.projectVersion()), run.out());
        assertTrue(!run.out().contains("unknown"), "version.properties should be filtered: " + run.out());
    }

    @Test
    void subcommandHelpShowsOptionsWithDefaults() {
        CliRun run = CliRun.of("sine", "--help");
        assertEquals(0, run.exitCode(), run.err());
        for (String option : new String[] {"--steps", "--hidden", "--lr", "--seed", "--cell", "--out"}) {
            assertTrue(run.out().contains(option), option + " missing from\n" + run.out());
        }
        assertTrue(run.out().contains("lstm, gru, rnn"), run.out());
        assertTrue(run.out().contains("default: 100"), run.out());
    }

    @Test
    void unknownTopLevelOptionIsAUsageError() {
        CliRun run = CliRun.of("--foo");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Unknown option: '--foo'"), run.err());
        assertTrue(run.err().contains("Usage: lstm4j"), run.err());
    }

    @Test
    void missingSubcommandIsAUsageError() {
        CliRun run = CliRun.of();
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("Missing required subcommand"), run.err());
        assertTrue(run.err().contains("Usage: lstm4j"), run.err());
    }

    @Test
    void unknownSubcommandIsAUsageError() {
        CliRun run = CliRun.of("sinus");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("sinus"), run.err());
    }
}
