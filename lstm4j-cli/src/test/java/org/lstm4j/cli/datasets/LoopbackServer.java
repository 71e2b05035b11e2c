package org.lstm4j.cli.datasets;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** An HTTP server on 127.0.0.1 (a free port) whose paths misbehave as a test asks. */
final class LoopbackServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, AtomicInteger> requestCounts = new ConcurrentHashMap<>();
    /** Released on close: a stalled handler waits on it so that it never outlives the test. */
    private final CountDownLatch closing = new CountDownLatch(1);

    LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        // Several threads: a stalled handler must not block the next request.
        executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "loopback-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.start();
    }

    /** A URL on this server. */
    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** A URL on a loopback port nobody listens on: connecting is refused. */
    static URI closedPortUrl(String path) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** How many requests {@code path} has had. */
    int requests(String path) {
        AtomicInteger count = requestCounts.get(path);
        return count == null ? 0 : count.get();
    }

    /** Answers 200 with {@code body}. */
    void serve(String path, byte[] body) {
        handle(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
    }

    /** Answers {@code status} with a short text body. */
    void status(String path, int status) {
        handle(path, exchange -> {
            byte[] text = ("status " + status).getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(status, text.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(text);
            }
        });
    }

    /** Answers 302 to {@code location}. */
    void redirect(String path, URI location) {
        handle(path, exchange -> {
            exchange.getResponseHeaders().set("Location", location.toString());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
    }

    /** Announces all of {@code body}, sends its first {@code sentBytes}, then closes the connection. */
    void dropAfter(String path, byte[] body, int sentBytes) {
        handle(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, sentBytes);
            out.flush();
            // Closing the exchange short of Content-Length would leave the connection open: an exception
            // out of the handler is what makes HttpServer close it.
            throw new IOException("dropping the connection on purpose");
        });
    }

    /** Announces all of {@code body}, sends its first {@code sentBytes}, then sends nothing more. */
    void stallAfter(String path, byte[] body, int sentBytes) {
        handle(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            OutputStream out = exchange.getResponseBody();
            out.write(body, 0, sentBytes);
            out.flush();
            try {
                closing.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
    }

    /** Sends {@code body} in {@code pieces} parts with {@code pauseMillis} between them. */
    void trickle(String path, byte[] body, int pieces, long pauseMillis) {
        handle(path, exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                int pieceSize = (body.length + pieces - 1) / pieces;
                for (int offset = 0; offset < body.length; offset += pieceSize) {
                    out.write(body, offset, Math.min(pieceSize, body.length - offset));
                    out.flush();
                    try {
                        Thread.sleep(pauseMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        });
    }

    private void handle(String path, HttpHandler handler) {
        requestCounts.put(path, new AtomicInteger());
        server.createContext(path, exchange -> {
            requestCounts.get(path).incrementAndGet();
            try {
                exchange.getRequestBody().readAllBytes();
                handler.handle(exchange);
            } finally {
                exchange.close();
            }
        });
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
