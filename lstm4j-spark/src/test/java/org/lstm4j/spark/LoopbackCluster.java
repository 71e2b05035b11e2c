package org.lstm4j.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Spark standalone cluster on 127.0.0.1 made of separate JVMs started from this JVM's class path: one
 * master and some workers, whose executors are further JVMs the workers launch.
 *
 * <p>No Spark distribution is needed: a worker builds an executor's command from {@code SPARK_HOME}'s
 * {@code jars/} directory (here an empty one, so nothing is added) and the application's
 * {@code spark.executor.extraClassPath} (set by the test to its own class path), and needs
 * {@code SPARK_SCALA_VERSION} where {@code SPARK_HOME} is not a Spark build.
 */
final class LoopbackCluster implements AutoCloseable {
    static final String HOST = "127.0.0.1";

    private final Path home;
    private final String classPath;
    private final List<String> jvmArgs;
    private final List<Process> processes = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();
    private final int masterPort;
    private Process master;

    LoopbackCluster(Path home, String classPath, List<String> jvmArgs) throws IOException {
        this.home = home;
        this.classPath = classPath;
        this.jvmArgs = jvmArgs;
        Files.createDirectories(home.resolve("jars"));
        Files.createDirectories(home.resolve("logs"));
        this.masterPort = freePort();
        // Should the test JVM end without closing the cluster (a killed build), its JVMs must not outlive it.
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "loopback-cluster-stop"));
    }

    String masterUrl() {
        return "spark://" + HOST + ":" + masterPort;
    }

    void startMaster() throws IOException {
        master = start("master", "org.apache.spark.deploy.master.Master", "--host", HOST, "--port",
                String.valueOf(masterPort), "--webui-port", String.valueOf(freePort()));
    }

    void startWorker(int cores, String memory) throws IOException {
        int n = workers.size() + 1;
        Path workDir = home.resolve("work-" + n);
        Files.createDirectories(workDir);
        workers.add(start("worker-" + n, "org.apache.spark.deploy.worker.Worker", "--host", HOST, "--cores",
                String.valueOf(cores), "--memory", memory, "--work-dir", workDir.toString(), "--webui-port",
                String.valueOf(freePort()), masterUrl()));
    }

    /** Waits until the master accepts connections. */
    void awaitMaster(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (!master.isAlive()) {
                throw new IllegalStateException("the master exited with " + master.exitValue() + "; see " + log("master"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, masterPort), 1000);
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the master did not listen on " + masterPort + " within " + timeoutMillis
                + " ms; see " + log("master"));
    }

    /** The executor JVMs the workers launched (their child processes). */
    List<ProcessHandle> executors() {
        List<ProcessHandle> out = new ArrayList<>();
        for (Process w : workers) {
            w.toHandle().children().filter(ProcessHandle::isAlive).forEach(out::add);
        }
        return out;
    }

    Optional<ProcessHandle> anyExecutor() {
        return executors().stream().findFirst();
    }

    Path log(String name) {
        return home.resolve("logs").resolve(name + ".log");
    }

    private Process start(String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(name).toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", home.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", HOST);
        env.remove("SPARK_CONF_DIR");
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    /** Stops every JVM started (and the executors under them), forcibly after a short wait. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : processes) {
            p.toHandle().descendants().forEach(all::add);
            all.add(p.toHandle());
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.currentTimeMillis() + 5000;
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(Math.max(1, deadline - System.currentTimeMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
    }
}
