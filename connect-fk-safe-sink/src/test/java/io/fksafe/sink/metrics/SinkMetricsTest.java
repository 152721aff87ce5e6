package io.fksafe.sink.metrics;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.Metrics;
import org.junit.jupiter.api.Test;

import io.fksafe.change.ChangeRecord;
import io.fksafe.sink.apply.Resolution;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.LabSchema;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * The task's metrics as a worker's plugin metrics registry holds them (group "plugins", connector and task tags), after
 * a known workload against a real target: counts equal what was applied, lag is measured from the source timestamp,
 * and a replay's resolutions are counted by kind.
 */
class SinkMetricsTest {

    private final TestDatabase db = TestDatabase.get();

    @Test
    void countsEqualTheWorkload_lagFromSourceTimestamps_replayResolutionsByKind() {
        String target = db.newDatabase("metrics_tgt");
        LabSchema.create(db, target);
        long tenSecondsAgo = System.currentTimeMillis() - 10_000;
        ChangeStream stream = new ChangeStream()
                .tx(at(PARENT.insert(1L, "p1"), tenSecondsAgo), at(PARENT.insert(2L, "p2"), tenSecondsAgo))
                .tx(
                        at(CHILD_CASCADE.insert(10L, 1L, "c"), tenSecondsAgo),
                        at(CHILD_CASCADE.insert(11L, 2L, "c"), tenSecondsAgo))
                .tx(at(PARENT.delete(1L), tenSecondsAgo));
        String mapping = "src.*=" + target + ".*";

        Metrics metrics = new Metrics();
        try (TaskRunner t =
                new TaskRunner(TaskRunner.props("metrics-" + target, "table.mapping", mapping), false, metrics)) {
            t.deliver(stream.all());
            assertEquals(5.0, value(metrics, "records-applied-total"), "one per row change");
            assertEquals(3.0, value(metrics, "transactions-applied-total"), "one per upstream transaction");
            assertTrue(value(metrics, "target-commits-total") >= 1);
            double lag = value(metrics, "replication-lag-ms");
            assertTrue(lag >= 10_000 && lag < 120_000, "lag from a source timestamp 10 s old: " + lag);
            assertTrue(value(metrics, "checkpoint-age-ms") >= 10_000);
            assertEquals(
                    5.0,
                    value(metrics, "checkpoint-offset", Map.of("topic", ChangeStream.TOPIC, "partition", "0")),
                    "the checkpoint's next offset");
            assertEquals(
                    0.0,
                    value(metrics, "safe-mode-resolutions-total", Map.of("kind", Resolution.SKIPPED_CHILD_OF_CASCADE)));
            assertEquals(0.0, value(metrics, "buffered-rows"), "nothing left uncommitted");
        }

        // Replay the child insert whose parent was deleted later, under another name (no checkpoint) in safe mode.
        Metrics replay = new Metrics();
        try (TaskRunner t = new TaskRunner(
                TaskRunner.props("metrics-replay-" + target, "table.mapping", mapping, "safe.mode", "always"),
                false,
                replay)) {
            t.deliver(stream.from(2));
            assertEquals(
                    1.0,
                    value(replay, "safe-mode-resolutions-total", Map.of("kind", Resolution.SKIPPED_CHILD_OF_CASCADE)),
                    "child 10's parent was cascade-deleted later: skipped, and counted");
        }
    }

    private static ChangeRecord at(ChangeRecord c, long sourceTsMs) {
        return c.toBuilder().sourceTsMs(sourceTsMs).build();
    }

    private static double value(Metrics metrics, String name) {
        return value(metrics, name, Map.of());
    }

    private static double value(Metrics metrics, String name, Map<String, String> extraTags) {
        for (Map.Entry<MetricName, KafkaMetric> e : metrics.metrics().entrySet()) {
            MetricName n = e.getKey();
            if (n.group().equals("plugins")
                    && n.name().equals(name)
                    && "test".equals(n.tags().get("connector"))
                    && n.tags().entrySet().containsAll(extraTags.entrySet())) {
                return ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        throw new AssertionError("no metric " + name + " " + extraTags + " in "
                + metrics.metrics().keySet());
    }
}
