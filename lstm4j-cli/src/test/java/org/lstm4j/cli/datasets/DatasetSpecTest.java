package org.lstm4j.cli.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetSpecTest {
    private static final String HASH = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed";
    private static final List<URI> URLS = List.of(URI.create("http://127.0.0.1:1/input.txt"));

    @Test
    void aHashIsStoredInLowerCase() {
        assertEquals(HASH, new RemoteFile("input.txt", HASH.toUpperCase(), URLS).sha256());
    }

    @Test
    void aMalformedHashIsAnErrorShowingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RemoteFile("input.txt", "abc", URLS));
        assertEquals("SHA-256 of input.txt: expected 64 hexadecimal digits, got 'abc'", e.getMessage());
    }

    @Test
    void namesThatWouldLeaveTheDirectoryAreRejected() {
        for (String bad : List.of("..", ".", "", "a/b", "a\\b", "../input.txt")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new RemoteFile(bad, HASH, URLS), bad);
            assertTrue(e.getMessage().contains("got '" + bad + "'"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> new DatasetSpec(bad, List.of(new RemoteFile("input.txt", HASH, URLS))), bad);
        }
    }

    @Test
    void urlsMustBeAbsoluteHttp() {
        assertThrows(IllegalArgumentException.class, () -> new RemoteFile("input.txt", HASH, List.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RemoteFile("input.txt", HASH, List.of(URI.create("ftp://host/input.txt"))));
        assertEquals("URL of input.txt: expected an absolute http or https URL with a host, got 'ftp://host/input.txt'",
                e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new RemoteFile("input.txt", HASH, List.of(URI.create("http:///input.txt"))));
        assertThrows(IllegalArgumentException.class,
                () -> new RemoteFile("input.txt", HASH, List.of(URI.create("/input.txt"))));
    }

    @Test
    void listsAreCopied() {
        List<URI> urls = new ArrayList<>(URLS);
        RemoteFile file = new RemoteFile("input.txt", HASH, urls);
        urls.clear();
        assertEquals(URLS, file.urls());
    }

    @Test
    void fileNamesMustBeDistinct() {
        RemoteFile file = new RemoteFile("input.txt", HASH, URLS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DatasetSpec("shakespeare", List.of(file, file)));
        assertEquals("dataset shakespeare lists input.txt twice: expected distinct file names", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DatasetSpec("empty", List.of()));
    }
}
