package org.lstm4j.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Starts a Spark context for training from a master URL, refusing a malformed URL or an unreachable
 * standalone master at once with a message that says what was expected (Spark itself would accept the
 * context and then wait for executors that never come, or retry for a minute).
 */
public final class SparkContexts {
    private SparkContexts() {}

    /** What {@link #start} accepts, for messages. */
    public static final String EXPECTED = "local, local[N], local[*], local[N,MAX_FAILURES], spark://HOST:PORT[,HOST:PORT...],"
            + " yarn or k8s://https://HOST:PORT";

    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9][0-9]*)(,\\s*[1-9][0-9]*)?\\])?");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[[1-9][0-9]*,\\s*[1-9][0-9]*,\\s*[1-9][0-9]*\\]");
    private static final Pattern STANDALONE = Pattern.compile("spark://(.+)");
    private static final Pattern HOST_PORT = Pattern.compile("([^:/,\\s]+|\\[[0-9a-fA-F:]+\\]):([0-9]{1,5})");

    /** How long a connection to a standalone master may take before it is reported unreachable. */
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    /**
     * Checks that Spark runs on this Java ({@link #checkJava}), {@code master}'s form, and for a standalone master
     * that each host:port accepts connections.
     *
     * @throws IllegalArgumentException naming the URL and what was expected, or the master that could not be
     *     reached and why
     */
    public static void checkMaster(String master) {
        checkJava(Runtime.version().feature());
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("Spark master URL is empty; expected " + EXPECTED);
        }
        String m = master.trim();
        if (LOCAL.matcher(m).matches() || LOCAL_CLUSTER.matcher(m).matches() || m.equals("yarn")
                || (m.startsWith("k8s://") && m.length() > "k8s://".length())) {
            return;
        }
        Matcher standalone = STANDALONE.matcher(m);
        if (!standalone.matches()) {
            throw new IllegalArgumentException("Spark master URL '" + master + "' is not one Spark knows; expected " + EXPECTED);
        }
        List<String> unreachable = new ArrayList<>();
        int reachable = 0;
        for (String hostPort : standalone.group(1).split(",")) {
            Matcher hp = HOST_PORT.matcher(hostPort.trim());
            int port = hp.matches() ? Integer.parseInt(hp.group(2)) : -1;
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("Spark master URL '" + master + "': '" + hostPort
                        + "' is not HOST:PORT with a port in [1, 65535]; expected " + EXPECTED);
            }
            String host = hp.group(1).replace("[", "").replace("]", "");
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
                reachable++;
            } catch (IOException e) {
                unreachable.add(host + ":" + port + " (" + e.getMessage() + ")");
            }
        }
        if (reachable == 0) {
            throw new IllegalArgumentException("cannot reach the Spark master " + master + ": " + String.join(", ", unreachable)
                    + ". Is the master running (sbin/start-master.sh) and is the address the one in its log"
                    + " ('Starting Spark master at spark://...')?");
        }
    }

    /**
     * Refuses a Java release Spark 4.0 cannot run on ({@link SparkDatasetTraining#sparkRunsOnThisJava}), before
     * it fails deep inside.
     *
     * @param javaFeature the running Java's feature release ({@code Runtime.version().feature()})
     * @throws IllegalArgumentException naming the Java release and the ones that work
     */
    static void checkJava(int javaFeature) {
        if (javaFeature > SparkDatasetTraining.NEWEST_SPARK_JAVA) {
            throw new IllegalArgumentException("Apache Spark 4.0 does not run on Java " + javaFeature
                    + " (its Hadoop client calls Subject.getSubject, which Java 23 and later refuse); run lstm4j's"
                    + " Spark training on Java 17 or 21 (JAVA_HOME=...)");
        }
    }

    /**
     * Starts a context on {@code master} after {@link #checkMaster}, with the web UI off unless {@code settings}
     * turns it on (an embedded run needs no port of its own) and {@code settings} applied over the defaults.
     */
    public static JavaSparkContext start(String master, String appName, Map<String, String> settings) {
        checkMaster(master);
        SparkConf conf = new SparkConf().setMaster(master.trim()).setAppName(appName).set("spark.ui.enabled", "false");
        settings.forEach(conf::set);
        return new JavaSparkContext(conf);
    }
}
