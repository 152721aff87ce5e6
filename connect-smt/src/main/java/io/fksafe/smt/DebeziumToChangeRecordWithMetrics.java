package io.fksafe.smt;

import java.util.LinkedHashMap;
import java.util.Locale;

import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Monitorable;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.connector.ConnectRecord;

/**
 * {@link DebeziumToChangeRecord} with its counters registered in Kafka Connect's plugin metrics (KIP-877, workers of
 * Kafka 4.1 and later), tagged by connector and task by the worker. A separate class because a class that implements
 * {@link Monitorable} cannot even be loaded by an older worker: there, configure {@link DebeziumToChangeRecord}.
 * Metric names and meanings: docs/operations.md.
 */
public class DebeziumToChangeRecordWithMetrics<R extends ConnectRecord<R>> extends DebeziumToChangeRecord<R>
        implements Monitorable {

    @Override
    public void withPluginMetrics(PluginMetrics metrics) {
        TransformCounters c = counters();
        for (TransformCounters.Outcome o : TransformCounters.Outcome.values()) {
            String name = "smt-" + o.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-total";
            metrics.addMetric(metrics.metricName(name, description(o), new LinkedHashMap<>()), (Gauge<Long>)
                    (config, now) -> c.get(o));
        }
        metrics.addMetric(
                metrics.metricName(
                        "smt-records-marked-safe-total",
                        "change records the transform marked "
                                + "for safe mode (safe.mode=always, a position window, snapshot reads)",
                        new LinkedHashMap<>()),
                (Gauge<Long>) (config, now) -> c.markedSafeCount());
    }

    private static String description(TransformCounters.Outcome o) {
        return switch (o) {
            case TOMBSTONE_DROPPED -> "tombstones dropped (the delete before them carries the change)";
            case KEY_CHANGE_DELETE_DROPPED ->
                "DELETE halves of Debezium's key-change pairs dropped (re-joined with the CREATE)";
            case TRUNCATE_SKIPPED -> "truncate events skipped (truncate.handling=skip)";
            case KEY_UPDATE ->
                "primary-key changes emitted as one key update (Debezium's DELETE+CREATE pair re-joined)";
            case PASSED_THROUGH -> "records that were not Debezium events, passed through unchanged";
            default -> "change records emitted with op '" + o.name().toLowerCase(Locale.ROOT) + "'";
        };
    }
}
