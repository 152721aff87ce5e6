package io.fksafe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.fksafe.stack.ConnectRest;
import io.fksafe.stack.LocalSecrets;
import io.fksafe.stack.LocalStack;
import io.fksafe.stack.Pipeline;
import io.fksafe.stack.SqlScript;
import io.fksafe.stack.StackEnv;

/**
 * Secrets on the launcher's own stack ({@code ./fksafe up}: separate MariaDB, Kafka and Connect processes, the worker
 * logging to a file at INFO): the connectors hold config provider references, never the passwords — in the REST API,
 * in their task configs and in Connect's config topic — the pipeline still replicates, validation resolves references
 * and reports a wrong password, and neither the passwords nor credentials written into {@code connection.url} show up
 * in the worker's log, the launcher's output or a REST validation message.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretsIT {

    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String SINK = "io.fksafe.sink.FkSafeSinkConnector";
    /** An extra target account whose password only ever appears inside connection.url; not a word. */
    private static final String URL_USER = "urlcreds";

    private static final String URL_PASSWORD = "Url-Pw-Zk38qTn";

    private static Path home;
    private static LocalStack stack;
    private static StackEnv env;
    private static ConnectRest rest;
    private static final ByteArrayOutputStream launcherOut = new ByteArrayOutputStream();

    @BeforeAll
    static void up() throws Exception {
        home = EmbeddedStack.WORK.resolve("secrets-" + System.currentTimeMillis());
        Path repo = EmbeddedStack.CONFIG.getParent();
        stack = new LocalStack(home, repo, new PrintStream(launcherOut, true, StandardCharsets.UTF_8));
        stack.up();
        env = stack.env();
        rest = stack.connect();
        stack.target()
                .exec(
                        "CREATE USER IF NOT EXISTS '" + URL_USER + "'@'127.0.0.1' IDENTIFIED BY '" + URL_PASSWORD + "'",
                        "GRANT ALL PRIVILEGES ON *.* TO '" + URL_USER + "'@'127.0.0.1'");
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.down(); // data and logs stay under target/e2e for a look
        }
    }

    @Test
    @Order(1)
    void passwords_areMadeUp_andNotWords() {
        assertTrue(env.sourcePassword().length() >= 20 && env.targetPassword().length() >= 20);
        assertFalse(env.sourcePassword().equals(env.targetPassword()));
    }

    @Test
    @Order(2)
    void restConfigs_taskConfigs_andTheConfigTopic_holdReferences_neverThePasswords() throws Exception {
        JsonNode source = rest.config("fksafe-source");
        JsonNode sink = rest.config("fksafe-sink");
        assertEquals("${env:SOURCE_PASSWORD}", source.path("database.password").asText());
        assertEquals("${env:TARGET_PASSWORD}", sink.path("connection.password").asText());
        String everything =
                source + "\n" + sink + "\n" + rest.tasks("fksafe-source") + "\n" + rest.tasks("fksafe-sink");
        assertNoPassword("GET /connectors/.../config and .../tasks", everything);

        String topic = configTopic();
        assertTrue(
                topic.contains("${env:TARGET_PASSWORD}") && topic.contains("${env:SOURCE_PASSWORD}"),
                "read the wrong topic?");
        assertNoPassword("the config topic fksafe-connect-configs", topic);
    }

    @Test
    @Order(3)
    void thePipelineReplicates() throws Exception {
        try (Pipeline p = new Pipeline(stack)) {
            p.runOnSource(new SqlScript(
                    "secrets",
                    List.of(
                            "CREATE DATABASE IF NOT EXISTS secrets_it",
                            "CREATE TABLE secrets_it.parent (id INT PRIMARY KEY)",
                            "CREATE TABLE secrets_it.child (id INT PRIMARY KEY, parent_id INT NOT NULL, "
                                    + "FOREIGN KEY (parent_id) REFERENCES secrets_it.parent (id) ON DELETE CASCADE)",
                            "INSERT INTO secrets_it.parent VALUES (1), (2)",
                            "INSERT INTO secrets_it.child VALUES (10, 1), (20, 2)",
                            "DELETE FROM secrets_it.parent WHERE id = 2")));
            p.awaitSynced(WAIT);
        }
        assertEquals(List.of(List.of("10", "1")), stack.target().query("SELECT id, parent_id FROM secrets_it.child"));
    }

    @Test
    @Order(4)
    void validate_resolvesEnvAndFileReferences_andReportsAWrongPasswordOrAnUnresolvedOne() throws IOException {
        Map<String, String> sink = sinkConfig();
        assertEquals(Map.of(), errors(sink), "the shipped ${env:...} reference");
        Map<String, String> file = new HashMap<>(sink);
        file.put(
                "connection.password",
                "${file:" + home.resolve("secrets.properties").toAbsolutePath() + ":" + LocalSecrets.TARGET_KEY + "}");
        assertEquals(Map.of(), errors(file), "a ${file:...} reference");

        Map<String, String> wrong = new HashMap<>(sink);
        wrong.put("connection.password", "Wrong-Pw-q83Lx");
        Map<String, List<String>> e = errors(wrong);
        assertTrue(e.get("connection.password").get(0).contains("Access denied"), e.toString());

        Map<String, String> notAllowed = new HashMap<>(sink);
        notAllowed.put("connection.password", "${env:HOME}"); // outside the env provider's allow-list
        e = errors(notAllowed);
        assertTrue(e.get("connection.password").get(0).contains("did not resolve"), e.toString());
        String homeDir = System.getenv().getOrDefault("HOME", "");
        assertTrue(homeDir.length() < 4 || !e.toString().contains(homeDir), e.toString());
    }

    @Test
    @Order(5)
    void credentialsInTheUrl_neverInAValidationMessage_orAnErrorOfPutConfig() throws IOException {
        String hostPort = env.targetHost() + ":" + env.targetPort();
        List<String> urls = List.of(
                "jdbc:mariadb://" + hostPort + "/?user=" + URL_USER + "&password=" + URL_PASSWORD + "-wrong",
                "jdbc:mysql://" + URL_USER + ":" + URL_PASSWORD + "-wrong@" + hostPort + "/",
                "jdbc:mariadb://" + URL_USER + ":" + URL_PASSWORD + "@" + hostPort + "/");
        for (String url : urls) {
            Map<String, String> c = urlOnly(url);
            JsonNode r = rest.validate(SINK, withName(c));
            assertTrue(r.path("error_count").asInt() > 0, url + ": " + r);
            assertFalse(r.toString().contains(URL_PASSWORD), r.toString());
            assertTrue(r.toString().contains("cannot connect to the target"), r.toString());
            IOException put = assertThrows(IOException.class, () -> rest.putConfig("fksafe-sink-urlcreds", c));
            assertFalse(put.getMessage().contains(URL_PASSWORD), put.getMessage());
        }
    }

    @Test
    @Order(6)
    void credentialsInTheUrl_ofARunningSink_areMaskedInItsLog() throws Exception {
        String url =
                "jdbc:mysql://" + URL_USER + ":" + URL_PASSWORD + "@" + env.targetHost() + ":" + env.targetPort() + "/";
        rest.putConfig("fksafe-sink-urlcreds", urlOnly(url));
        try {
            rest.awaitRunning("fksafe-sink-urlcreds", WAIT);
            String masked = "jdbc:mysql://" + URL_USER + ":****@";
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!workerLog().contains(masked) && System.nanoTime() < deadline) {
                Thread.sleep(300);
            }
            assertTrue(workerLog().contains(masked), "the sink's config dump with the URL masked");
        } finally {
            rest.delete("fksafe-sink-urlcreds");
        }
    }

    @Test
    @Order(7)
    void neitherPasswordNorUrlCredentials_inTheWorkersLog_orTheLaunchersOutput() throws IOException {
        String log = workerLog();
        assertTrue(
                log.contains("FkSafeSinkConfig values") && log.contains("connected to target"),
                "the worker log holds the sink's own INFO lines");
        assertTrue(log.contains("MariaDbConnector") || log.contains("mariadb"), "and Debezium's");
        assertNoPassword("the worker log " + home.resolve("connect/connect.log"), log);
        assertFalse(log.contains(URL_PASSWORD), "URL credentials in the worker log");
        String out = launcherOut.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("up: pipeline running"), out);
        assertNoPassword("the launcher's output", out);
    }

    private static void assertNoPassword(String where, String text) {
        assertFalse(text.contains(env.sourcePassword()), "the source password in " + where);
        assertFalse(text.contains(env.targetPassword()), "the target password in " + where);
    }

    private static String workerLog() throws IOException {
        return Files.readString(home.resolve("connect/connect.log"));
    }

    private static Map<String, String> sinkConfig() throws IOException {
        try (Pipeline p = new Pipeline(stack)) {
            return new HashMap<>(p.sink().config());
        }
    }

    /** The shipped sink on a topic of its own, with the credentials only in the URL. */
    private static Map<String, String> urlOnly(String url) throws IOException {
        Map<String, String> c = sinkConfig();
        c.remove("connection.user");
        c.remove("connection.password");
        c.put("connection.url", url);
        c.put("topics", "fksafe.urlcreds");
        return c;
    }

    private static Map<String, String> withName(Map<String, String> c) {
        Map<String, String> m = new HashMap<>(c);
        m.putIfAbsent("name", "validate-me");
        return m;
    }

    private static Map<String, List<String>> errors(Map<String, String> config) throws IOException {
        Map<String, List<String>> out = new HashMap<>();
        for (JsonNode c : rest.validate(SINK, withName(config)).path("configs")) {
            List<String> msgs = new java.util.ArrayList<>();
            c.path("value").path("errors").forEach(m -> msgs.add(m.asText()));
            if (!msgs.isEmpty()) {
                out.put(c.path("value").path("name").asText(), msgs);
            }
        }
        return out;
    }

    /** Every record of Connect's config topic, keys and values, as text. */
    private static String configTopic() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        StringBuilder b = new StringBuilder();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition("fksafe-connect-configs", 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    b.append(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8))
                            .append(" = ")
                            .append(r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8))
                            .append('\n');
                }
            }
            assertTrue(c.position(tp) >= end, "read the whole config topic");
        }
        return b.toString();
    }
}
