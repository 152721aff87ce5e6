package io.fksafe.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.fksafe.stack.ConnectRest;
import io.fksafe.stack.ConnectorConfig;
import io.fksafe.stack.Db;
import io.fksafe.stack.Verify;

/**
 * Issue 9's speed figure, on demand ({@code -Dfksafe.speed=true}; not in CI): one source workload captured by two
 * Debezium MariaDB connectors, one with transaction metadata routed in-band and one without, then each topic drained
 * as a backlog by the sink in turn into an emptied target. Prints both rates; the markerless drain must be within
 * 20% of the marker drain (rows per second).
 */
@EnabledIfSystemProperty(named = "fksafe.speed", matches = "true")
class MarkerlessSpeedIT {

    private static final Duration WAIT = Duration.ofMinutes(5);

    @Test
    void backlogDrain_withoutMarkers_isCloseToWithMarkers() throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start("speed")) {
            ConnectRest rest = stack.connect();
            Map<String, String> vars = stack.env().vars();
            ConnectorConfig base = ConnectorConfig.load(EmbeddedStack.CONFIG.resolve("source-mariadb.json"), vars);
            ConnectorConfig sinkBase = ConnectorConfig.load(EmbeddedStack.CONFIG.resolve("sink-mariadb.json"), vars);
            ConnectorConfig withMarkers = base.named("src-markers");
            ConnectorConfig without = base.named("src-plain")
                    .with(Map.of(
                            "topic.prefix",
                            "fx",
                            "database.server.id",
                            "184077",
                            "schema.history.internal.kafka.topic",
                            "fx.schema-history",
                            "transforms.route.regex",
                            "fx(\\..*)?",
                            "transforms.route.replacement",
                            "fx.changes",
                            "provide.transaction.metadata",
                            "false"));
            rest.putConfig(withMarkers.name(), withMarkers.config());
            rest.putConfig(without.name(), without.config());
            rest.awaitRunning(withMarkers.name(), WAIT);
            rest.awaitRunning(without.name(), WAIT);
            TimeUnit.SECONDS.sleep(5); // snapshots of an empty server

            Db src = stack.source();
            src.exec(
                    "CREATE DATABASE shop",
                    "USE shop",
                    "CREATE TABLE parent (id BIGINT PRIMARY KEY, note VARCHAR(40) NOT NULL)",
                    "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL, note VARCHAR(40), "
                            + "FOREIGN KEY (parent_id) REFERENCES parent(id) ON UPDATE CASCADE ON DELETE CASCADE)");
            int parents = 6_000;
            List<String> sql = new ArrayList<>(List.of("USE shop"));
            for (int p = 1; p <= parents; p += 2) { // 10-row transactions: 2 parents, 8 children
                StringBuilder kids = new StringBuilder();
                for (int k = p; k < p + 2; k++) {
                    for (int c = 0; c < 4; c++) {
                        kids.append(kids.length() == 0 ? "" : ", ")
                                .append("(")
                                .append(k * 4 + c)
                                .append(", ")
                                .append(k)
                                .append(", 'c')");
                    }
                }
                sql.add("START TRANSACTION");
                sql.add("INSERT INTO parent VALUES (" + p + ", 'p'), (" + (p + 1) + ", 'p')");
                sql.add("INSERT INTO child VALUES " + kids);
                sql.add("COMMIT");
            }
            for (int p = 10; p <= parents; p += 10) {
                sql.add("DELETE FROM parent WHERE id = " + p); // cascades on both sides
            }
            src.run(sql);

            long endA = settle(stack, "fksafe.changes");
            long endB = settle(stack, "fx.changes");
            double withRate = drain(stack, sinkBase.named("sink-markers").with(Map.of("topics", "fksafe.changes")));
            assertTrue(Verify.compare(stack.source(), stack.target(), "shop", Set.of()).stream()
                    .allMatch(Verify.Row::ok));
            stack.target().exec("DROP DATABASE shop");
            double withoutRate = drain(stack, sinkBase.named("sink-plain").with(Map.of("topics", "fx.changes")));
            assertTrue(Verify.compare(stack.source(), stack.target(), "shop", Set.of()).stream()
                    .allMatch(Verify.Row::ok));
            long rows = parents * 5L + parents / 10;
            System.out.printf(
                    "SPEED backlog of %d row events: with markers (%d records) %.0f rows/s, without markers "
                            + "(%d records) %.0f rows/s, ratio %.2f%n",
                    rows, endA, withRate * rows, endB, withoutRate * rows, withoutRate / withRate);
            assertTrue(withoutRate >= 0.8 * withRate, "without markers within 20% of with markers");
        }
    }

    /** Waits until the topic stops growing; returns its end offset. */
    private static long settle(EmbeddedStack stack, String topic) throws Exception {
        long last = -1;
        for (int i = 0; i < 600; i++) {
            long end = end(stack, topic);
            if (end == last && end > 0) {
                return end;
            }
            last = end;
            TimeUnit.SECONDS.sleep(3);
        }
        throw new IOException(topic + " never settled");
    }

    /**
     * Deploys the sink, returns 1 / seconds until the target holds what the source holds (the checkpoint cannot tell:
     * Debezium's last tombstone never reaches the sink, as the SMT drops it).
     */
    private static double drain(EmbeddedStack stack, ConnectorConfig sink) throws Exception {
        String count = "SELECT (SELECT COUNT(*) FROM shop.parent) + (SELECT COUNT(*) FROM shop.child)";
        String expected = stack.source().query(count).get(0).get(0);
        long started = System.nanoTime();
        stack.connect().putConfig(sink.name(), sink.config());
        long deadline = started + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean created = stack.target()
                    .query("SELECT COUNT(*) FROM information_schema.TABLES WHERE "
                            + "TABLE_SCHEMA = 'shop' AND TABLE_NAME IN ('parent', 'child')")
                    .get(0)
                    .get(0)
                    .equals("2");
            if (created && stack.target().query(count).get(0).get(0).equals(expected)) {
                double secs = (System.nanoTime() - started) / 1e9;
                System.out.printf("SPEED %s drained in %.1f s%n", sink.name(), secs);
                stack.connect().delete(sink.name());
                return 1 / secs;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new IOException(sink.name() + " did not drain: " + stack.connect().describe(sink.name()));
    }

    private static long end(EmbeddedStack stack, String topic) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        try (Admin admin = Admin.create(p)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            try {
                return admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                        .partitionResult(tp)
                        .get(30, TimeUnit.SECONDS)
                        .offset();
            } catch (java.util.concurrent.ExecutionException e) {
                return 0; // not created yet
            }
        }
    }
}
