package io.fksafe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.fksafe.stack.ConnectRest;
import io.fksafe.stack.ConnectorConfig;
import io.fksafe.stack.Db;
import io.fksafe.stack.Pipeline;
import io.fksafe.stack.Verify;

/**
 * Two Debezium sources into two topics, one sink task reading both (docs/sink.md, "one sink task may read several
 * such topics"). Each source captures its own database, written at the same time by its own connection, in
 * transactions of a few hundred rows with cascading re-keys and deletes the binlog never shows. The sink polls seven
 * records at a time, so nearly every poll stops inside one topic's transaction and goes on with the other's; halfway
 * the sink is restarted and resumes from its two checkpoint rows. Both targets must equal their sources.
 */
class TwoSourcesIT {

    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final int ROUNDS = 6;
    private static final int PARENTS = 40;

    /** One source: its database, its connector and the topic that connector writes. */
    private record Source(String db, String prefix, int serverId) {
        String topic() {
            return prefix + ".changes";
        }

        ConnectorConfig config(ConnectorConfig shipped) {
            Map<String, String> c = new HashMap<>(shipped.config());
            c.put("topic.prefix", prefix);
            c.put("database.server.id", Integer.toString(serverId));
            c.put("database.include.list", db);
            // without it each connector sends every database's DDL, and the sink would get each twice (deploy.md)
            c.put("schema.history.internal.store.only.captured.databases.ddl", "true");
            c.put("schema.history.internal.kafka.topic", prefix + ".schema-history");
            c.put("transforms.route.regex", prefix + "(\\..*)?");
            c.put("transforms.route.replacement", topic());
            return new ConnectorConfig(prefix + "-source", c);
        }
    }

    @Test
    void twoSourcesOneSinkTask_interleavedTransactionsAndARestart_bothTargetsEqualTheirSources() throws Exception {
        Source a = new Source("shop_a", "fka", 184_101);
        Source b = new Source("shop_b", "fkb", 184_102);
        try (EmbeddedStack stack = EmbeddedStack.start("two-sources");
                Pipeline pipeline = new Pipeline(stack);
                Admin admin = admin(stack.kafkaBootstrap())) {
            admin.createTopics(List.of(topic(a), topic(b))).all().get(30, TimeUnit.SECONDS);
            ConnectorConfig sink = pipeline.sink()
                    .with(Map.of(
                            "topics", a.topic() + "," + b.topic(),
                            "consumer.override.max.poll.records", "7",
                            "consumer.override.fetch.min.bytes", "1"));
            for (Source s : List.of(a, b)) {
                pipeline.deploy(s.config(pipeline.source()), WAIT);
            }
            pipeline.deploy(sink, WAIT);
            TimeUnit.SECONDS.sleep(3); // the sources' snapshots (of nothing) done: DDL during one can be sent twice
            Db src = stack.source();
            for (Source s : List.of(a, b)) {
                src.run(CascadeWorkload.schema(s.db()));
            }

            long started = System.nanoTime();
            writeBoth(src, a, b, 0, ROUNDS / 2);
            ConnectRest rest = stack.connect();
            Map<String, Long> atRestart = awaitSomeApplied(stack, sink.name(), List.of(a.topic(), b.topic()));
            rest.restart(sink.name()); // mid-stream, with whatever the task had not committed yet
            System.out.printf(
                    "two sources: sink restarted at checkpoints %s, topic ends %s%n",
                    atRestart, endOffsets(admin, List.of(a.topic(), b.topic())));
            writeBoth(src, a, b, ROUNDS / 2, ROUNDS);
            Map<String, Long> ends = awaitApplied(admin, stack, sink.name(), List.of(a.topic(), b.topic()));
            System.out.printf(
                    "two sources: %d source transactions into %s applied in %.1f s%n",
                    4 * ROUNDS, ends, (System.nanoTime() - started) / 1e9);

            assertNull(ConnectRest.failure(rest.status(sink.name())), "the sink task keeps running");
            for (Source s : List.of(a, b)) {
                List<Verify.Row> rows = Verify.compare(src, stack.target(), s.db(), Set.of());
                Verify.print(rows, System.out);
                assertTrue(rows.stream().allMatch(Verify.Row::ok), s.db() + ": source == target: " + rows);
                assertEquals(
                        CascadeWorkload.nulledGrandchildren(src, s.db()),
                        CascadeWorkload.nulledGrandchildren(stack.target(), s.db()),
                        s.db() + ": grandchildren nulled by the cascading deletes");
                assertTrue(
                        stack.target().count("SELECT COUNT(*) FROM " + s.db() + ".parent") > 0,
                        s.db() + ": rows arrived");
            }
            assertEquals(
                    ends, checkpoints(stack, sink.name()), "one checkpoint row per topic, each at its topic's end");
        }
    }

    /** Rounds {@code from} to {@code to} of both databases' workloads, each on its own connection at the same time. */
    private static void writeBoth(Db src, Source a, Source b, int from, int to) {
        CompletableFuture.allOf(
                        CompletableFuture.runAsync(() -> write(src, a.db(), from, to)),
                        CompletableFuture.runAsync(() -> write(src, b.db(), from, to)))
                .join();
    }

    private static void write(Db src, String db, int from, int to) {
        for (int round = from; round < to; round++) {
            CascadeWorkload.round(src, db, round, PARENTS);
        }
    }

    /**
     * Waits until both topics stood still for two seconds (the sources produced everything) and the sink's checkpoint
     * of each reached its end; returns the end offsets by topic. Fails early if the sink fails.
     */
    private static Map<String, Long> awaitApplied(Admin admin, EmbeddedStack stack, String sink, List<String> topics)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<String, Long> last = Map.of();
        long stillSince = System.nanoTime();
        while (true) {
            String failure = ConnectRest.failure(stack.connect().status(sink));
            if (failure != null) {
                throw new IOException("sink " + sink + " failed:\n" + failure);
            }
            Map<String, Long> ends = endOffsets(admin, topics);
            if (!ends.equals(last)) {
                last = ends;
                stillSince = System.nanoTime();
            } else if (System.nanoTime() - stillSince > 2_000_000_000L && ends.equals(checkpoints(stack, sink))) {
                return ends;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the sink did not apply both topics within " + WAIT + ": ends " + ends
                        + ", checkpoints " + checkpoints(stack, sink) + " ("
                        + stack.connect().describe(sink) + ")");
            }
            TimeUnit.MILLISECONDS.sleep(300);
        }
    }

    /** Waits until the sink committed rows of both topics (past their schemas); returns its checkpoints then. */
    private static Map<String, Long> awaitSomeApplied(EmbeddedStack stack, String sink, List<String> topics)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Map<String, Long> cps = checkpoints(stack, sink);
            if (topics.stream().allMatch(t -> cps.getOrDefault(t, 0L) > 100)) {
                return cps;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the sink applied no rows of " + topics + " within " + WAIT + ": checkpoints "
                        + cps + " (" + stack.connect().describe(sink) + ")");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    private static Map<String, Long> endOffsets(Admin admin, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> latest =
                topics.stream().collect(Collectors.toMap(t -> new TopicPartition(t, 0), t -> OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(
                        e -> e.getKey().topic(), e -> e.getValue().offset()));
    }

    /** The sink's checkpoint rows in the target: next offset by topic (partition 0 of each). */
    private static Map<String, Long> checkpoints(EmbeddedStack stack, String sink) {
        if (stack.target()
                        .count("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'fksafe' "
                                + "AND TABLE_NAME = 'fksafe_checkpoint'")
                == 0) {
            return Map.of();
        }
        return stack
                .target()
                .query("SELECT topic, kafka_partition, next_offset FROM fksafe.fksafe_checkpoint WHERE connector = '"
                        + sink + "'")
                .stream()
                .peek(r -> assertEquals("0", r.get(1), "one partition per topic: " + r))
                .collect(Collectors.toMap(r -> r.get(0), r -> Long.parseLong(r.get(2))));
    }

    private static NewTopic topic(Source s) {
        return new NewTopic(s.topic(), 1, (short) 1).configs(Map.of("retention.ms", "-1"));
    }

    private static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return Admin.create(p);
    }
}
