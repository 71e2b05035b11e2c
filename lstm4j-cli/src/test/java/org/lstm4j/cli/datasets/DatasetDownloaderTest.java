package org.lstm4j.cli.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetDownloaderTest {
    /** Several HttpClient chunks (16 KiB each), so that drops and stalls happen midway. */
    private static final byte[] CONTENT = randomBytes(200_000, 42);
    private static final String CONTENT_SHA256 = sha256(CONTENT);
    private static final byte[] OTHER_CONTENT = randomBytes(200_000, 7);

    @TempDir
    Path dataRoot;

    private LoopbackServer server;
    private final RecordingProgress progress = new RecordingProgress();
    private DatasetDownloader downloader;

    @BeforeEach
    void startServer() throws IOException {
        server = new LoopbackServer();
        downloader = new DatasetDownloader(Duration.ofSeconds(5), Duration.ofSeconds(10), progress);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static DatasetSpec spec(URI... urls) {
        return new DatasetSpec("set", List.of(new RemoteFile("data.bin", CONTENT_SHA256, List.of(urls))));
    }

    private Path directory() {
        return dataRoot.resolve("set");
    }

    private Path target() {
        return directory().resolve("data.bin");
    }

    @Test
    void downloadsAndVerifiesAFileThenFindsItWithoutAskingAgain() throws IOException {
        server.serve("/m1/data.bin", CONTENT);
        DatasetSpec spec = spec(server.url("/m1/data.bin"));

        assertEquals(directory(), downloader.ensure(spec, dataRoot));
        assertArrayEquals(CONTENT, Files.readAllBytes(target()));
        assertEquals(1, server.requests("/m1/data.bin"));
        assertEquals(List.of("start data.bin 200000", "advanced 200000", "finish"), progress.events());
        assertNoTemporaryFiles();

        assertEquals(directory(), downloader.ensure(spec, dataRoot));
        assertEquals(1, server.requests("/m1/data.bin"), "a verified file is not downloaded again");
    }

    @Test
    void aWrongChecksumFromTheOnlyMirrorIsAnErrorAndLeavesNoFile() {
        server.serve("/m1/data.bin", OTHER_CONTENT);
        URI url = server.url("/m1/data.bin");

        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> downloader.ensure(spec(url), dataRoot));
        assertTrue(e.getMessage().contains(url + ": checksum mismatch: got SHA-256 " + sha256(OTHER_CONTENT)
                + " for 200000 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("data.bin (SHA-256 " + CONTENT_SHA256 + ")"), e.getMessage());
        assertFalse(Files.exists(target()));
        assertNoTemporaryFiles();
    }

    @Test
    void aWrongChecksumOnTheFirstMirrorFallsBackToTheSecond() throws IOException {
        server.serve("/m1/data.bin", OTHER_CONTENT);
        server.serve("/m2/data.bin", CONTENT);

        downloader.ensure(spec(server.url("/m1/data.bin"), server.url("/m2/data.bin")), dataRoot);
        assertArrayEquals(CONTENT, Files.readAllBytes(target()));
        assertEquals(1, server.requests("/m1/data.bin"));
        assertEquals(1, server.requests("/m2/data.bin"));
        assertTrue(progress.events().stream().anyMatch(event -> event.startsWith("failed " + server.url("/m1/data.bin")
                + " checksum mismatch")), progress.events().toString());
        assertNoTemporaryFiles();
    }

    @Test
    void aConnectionDroppedMidFileFallsBackToTheNextMirror() throws IOException {
        server.dropAfter("/m1/data.bin", CONTENT, 50_000);
        server.serve("/m2/data.bin", CONTENT);

        downloader.ensure(spec(server.url("/m1/data.bin"), server.url("/m2/data.bin")), dataRoot);
        assertArrayEquals(CONTENT, Files.readAllBytes(target()));
        assertNoTemporaryFiles();
    }

    @Test
    void aConnectionDroppedMidFileOnTheOnlyMirrorSaysHowFarItGot() {
        server.dropAfter("/m1/data.bin", CONTENT, 50_000);
        URI url = server.url("/m1/data.bin");

        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> downloader.ensure(spec(url), dataRoot));
        assertTrue(e.getMessage().contains(url + ": connection dropped after 50000 of 200000 bytes"), e.getMessage());
        assertFalse(Files.exists(target()));
        assertNoTemporaryFiles();
    }

    @Test
    void aNotFoundFallsBackToTheNextMirror() throws IOException {
        server.status("/m1/data.bin", 404);
        server.serve("/m2/data.bin", CONTENT);

        downloader.ensure(spec(server.url("/m1/data.bin"), server.url("/m2/data.bin")), dataRoot);
        assertArrayEquals(CONTENT, Files.readAllBytes(target()));
        assertTrue(progress.events().contains("failed " + server.url("/m1/data.bin") + " HTTP 404"),
                progress.events().toString());
        assertNoTemporaryFiles();
    }

    @Test
    void aRedirectIsFollowed() throws IOException {
        server.serve("/moved/data.bin", CONTENT);
        server.redirect("/m1/data.bin", server.url("/moved/data.bin"));

        downloader.ensure(spec(server.url("/m1/data.bin")), dataRoot);
        assertArrayEquals(CONTENT, Files.readAllBytes(target()));
        assertNoTemporaryFiles();
    }

    @Test
    void withNoServerTheErrorListsTheMissingFilesTheDirectoryAndEveryUrl() throws IOException {
        URI first = LoopbackServer.closedPortUrl("/a/data.bin");
        URI second = server.url("/b/data.bin"); // Nothing served there: 404.
        DatasetSpec spec = new DatasetSpec("set", List.of(
                new RemoteFile("data.bin", CONTENT_SHA256, List.of(first, second)),
                new RemoteFile("labels.bin", sha256(OTHER_CONTENT),
                        List.of(LoopbackServer.closedPortUrl("/a/labels.bin")))));

        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> downloader.ensure(spec, dataRoot));
        String message = e.getMessage();
        List<String> lines = message.lines().collect(Collectors.toList());
        assertEquals("2 files are missing from " + directory() + " and could not be downloaded:", lines.get(0));
        assertEquals("  data.bin (SHA-256 " + CONTENT_SHA256 + ")", lines.get(1));
        assertTrue(lines.get(2).startsWith("    " + first + ": connection refused"), message);
        assertEquals("    " + second + ": HTTP 404", lines.get(3));
        assertEquals("  labels.bin (SHA-256 " + sha256(OTHER_CONTENT) + ")", lines.get(4));
        assertTrue(lines.get(5).startsWith("    " + spec.files().get(1).urls().get(0) + ": "), message);
        assertEquals("Copy them into " + directory()
                + " by hand (e.g. from a machine with internet access); the SHA-256 is checked on the next run.",
                lines.get(6));
        assertEquals(7, lines.size(), message);
        assertEquals(directory(), e.directory());
        assertEquals(2, e.missingFiles().size());
        assertNoTemporaryFiles();
    }

    @Test
    void aHostThatRefusedIsNotAskedAgainForTheNextFiles() throws IOException {
        URI refusing = LoopbackServer.closedPortUrl("/a/data.bin");
        URI sameHost = URI.create(refusing.toString().replace("data.bin", "labels.bin"));
        DatasetSpec spec = new DatasetSpec("set", List.of(
                new RemoteFile("data.bin", CONTENT_SHA256, List.of(refusing)),
                new RemoteFile("labels.bin", sha256(OTHER_CONTENT), List.of(sameHost))));

        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> downloader.ensure(spec, dataRoot));
        String hostKey = "http://127.0.0.1:" + refusing.getPort();
        assertTrue(e.getMessage().contains(sameHost + ": not tried: " + hostKey
                + " could not be reached for an earlier file (connection refused"), e.getMessage());
    }

    @Test
    void aStalledTransferTimesOutAndFallsBackToTheNextMirror() throws IOException {
        DatasetDownloader impatient = new DatasetDownloader(Duration.ofSeconds(5), Duration.ofSeconds(1), progress);
        server.stallAfter("/m1/data.bin", CONTENT, 50_000);
        server.serve("/m2/data.bin", CONTENT);
        URI stalling = server.url("/m1/data.bin");

        impatient.ensure(spec(stalling, server.url("/m2/data.bin")), dataRoot);
        assertArrayEquals(CONTENT, Files.readAllBytes(target()));
        assertTrue(progress.events().contains("failed " + stalling + " stalled: no data for 1 s after 50000 of 200000 bytes"),
                progress.events().toString());
        assertNoTemporaryFiles();
    }

    @Test
    void aSlowButSteadyTransferIsNotCutOff() throws IOException {
        // Each pause is shorter than the idle timeout (which also bounds the wait for the headers), the
        // whole transfer longer than it.
        DatasetDownloader impatient = new DatasetDownloader(Duration.ofSeconds(5), Duration.ofSeconds(1), progress);
        server.trickle("/m1/data.bin", CONTENT, 6, 300);

        impatient.ensure(spec(server.url("/m1/data.bin")), dataRoot);
        assertArrayEquals(CONTENT, Files.readAllBytes(target()));
        assertNoTemporaryFiles();
    }

    @Test
    void aCorruptExistingFileIsAnErrorAndIsLeftUntouched() throws IOException {
        server.serve("/m1/data.bin", CONTENT);
        Files.createDirectories(directory());
        byte[] truncated = Arrays.copyOf(CONTENT, 1000);
        Files.write(target(), truncated);
        FileTime modified = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(target(), modified);

        CorruptDatasetFileException e = assertThrows(CorruptDatasetFileException.class,
                () -> downloader.ensure(spec(server.url("/m1/data.bin")), dataRoot));
        assertEquals(target() + " has unexpected content: expected SHA-256 " + CONTENT_SHA256 + ", got "
                + sha256(truncated) + " (1000 bytes)\nDelete it to download it again.", e.getMessage());
        assertArrayEquals(truncated, Files.readAllBytes(target()));
        assertEquals(modified, Files.getLastModifiedTime(target()));
        assertEquals(0, server.requests("/m1/data.bin"));
        assertNoTemporaryFiles();
    }

    @Test
    void staleTemporaryFilesOfAKilledRunAreRemoved() throws IOException {
        server.serve("/m1/data.bin", CONTENT);
        Files.createDirectories(directory());
        Path stale = Files.write(directory().resolve(".data.bin.1234567890.part"), new byte[] {1, 2, 3});
        Path unrelated = Files.write(directory().resolve("notes.part"), new byte[] {4});

        downloader.ensure(spec(server.url("/m1/data.bin")), dataRoot);
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(unrelated), "only temporary files of the dataset's own files are removed");
        Files.delete(unrelated);
        assertArrayEquals(CONTENT, Files.readAllBytes(target()));
        assertNoTemporaryFiles();
    }

    /** No {@code *.part} file and no hidden (temporary) file anywhere under the data root. */
    private void assertNoTemporaryFiles() {
        try (Stream<Path> files = Files.walk(dataRoot)) {
            List<Path> leftovers = files
                    .filter(path -> !path.equals(dataRoot))
                    .filter(path -> {
                        String name = path.getFileName().toString();
                        return name.endsWith(".part") || name.startsWith(".");
                    })
                    .toList();
            assertEquals(List.of(), leftovers);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The calls a downloader makes, consecutive advances summed. */
    private static final class RecordingProgress implements DownloadProgress {
        private final List<String> events = new ArrayList<>();
        private long advanced = -1;

        @Override
        public void start(String fileName, long totalBytes) {
            events.add("start " + fileName + " " + totalBytes);
            advanced = 0;
        }

        @Override
        public void advance(long bytes) {
            advanced += bytes;
        }

        @Override
        public void finish() {
            events.add("advanced " + advanced);
            events.add("finish");
        }

        @Override
        public void attemptFailed(String fileName, URI url, String reason) {
            events.add("failed " + url + " " + reason);
        }

        List<String> events() {
            return List.copyOf(events);
        }
    }
}
