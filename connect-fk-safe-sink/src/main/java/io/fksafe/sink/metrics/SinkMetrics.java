package io.fksafe.sink.metrics;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Gauge;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Percentile;
import org.apache.kafka.common.metrics.stats.Percentiles;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * The sink task's metrics, in Kafka Connect's plugin metrics where the worker has them (group {@code plugins}, tagged
 * with connector and task). Recording happens once per target commit or per rare event, never per record, so the hot
 * path pays nothing measurable. Names and meanings: docs/operations.md.
 */
public final class SinkMetrics implements AutoCloseable {

    private static final int PERCENTILE_BYTES = 4000;

    private final MetricRegistry registry;
    private final boolean reported;
    private final Map<String, Sensor> tagged = new HashMap<>();
    private final Map<TopicPartition, MetricName> checkpointNames = new HashMap<>();
    private final Map<TopicPartition, Long> checkpointOffsets = new ConcurrentHashMap<>();
    private final Sensor records;
    private final Sensor transactions;
    private final Sensor commits;
    private final Sensor commitLatency;
    private final Sensor lag;
    private final Sensor deadLettered;
    private final Sensor splits;
    private final Sensor unknownOutcomes;
    private volatile long newestSourceTsMs = -1;
    private volatile long lastLagMs = -1;
    private volatile long bufferedRows;
    private volatile long bufferedBytes;
    private volatile int replayOpen;
    private volatile long replayLeft;

    private SinkMetrics(MetricRegistry registry, boolean reported) {
        this.registry = registry;
        this.reported = reported;
        records = counterAndRate("records-applied", "row changes committed to the target");
        transactions = counterAndRate("transactions-applied", "upstream transactions committed to the target");
        commits = counterAndRate(
                "target-commits", "target transactions committed (each holds one or more upstream transactions)");
        commits.add(name("batch-rows-avg", "row changes per target commit, average"), new Avg());
        commits.add(name("batch-rows-max", "row changes per target commit, maximum"), new Max());
        commitLatency = registry.sensor("fksafe-commit-latency");
        commitLatency.add(
                name(
                        "commit-latency-avg-ms",
                        "time from a target transaction's first statement to its COMMIT returning, average"),
                new Avg());
        commitLatency.add(name("commit-latency-max-ms", "the same, maximum"), new Max());
        commitLatency.add(new Percentiles(
                PERCENTILE_BYTES,
                60_000,
                Percentiles.BucketSizing.LINEAR,
                new Percentile(name("commit-latency-p99-ms", "the same, 99th percentile"), 99)));
        lag = registry.sensor("fksafe-replication-lag");
        lag.add(
                name(
                        "replication-lag-ms",
                        "source commit (the change's source timestamp) to target commit, for the last committed upstream transaction"),
                new Value());
        lag.add(name("replication-lag-avg-ms", "the same, average over the sample window"), new Avg());
        lag.add(name("replication-lag-max-ms", "the same, maximum over the sample window"), new Max());
        lag.add(new Percentiles(
                PERCENTILE_BYTES,
                3_600_000,
                Percentiles.BucketSizing.LINEAR,
                new Percentile(name("replication-lag-p99-ms", "the same, 99th percentile"), 99)));
        registry.add(
                name(
                        "checkpoint-age-ms",
                        "now minus the source timestamp of the newest change the target holds "
                                + "(grows while the stream is idle; with Debezium heartbeats routed in, stays near the heartbeat interval); -1 before the first"),
                (Gauge<Long>) (config, now) -> checkpointAgeMs(now));
        registry.add(
                name("buffered-rows", "row changes taken from Kafka and not yet committed to the target"),
                (Gauge<Long>) (config, now) -> bufferedRows);
        registry.add(
                name("buffered-bytes", "estimated size of those rows"), (Gauge<Long>) (config, now) -> bufferedBytes);
        registry.add(
                name("replay-window-open", "1 while a replay window (offsets moved back through REST) is open"),
                (Gauge<Integer>) (config, now) -> replayOpen);
        registry.add(
                name("replay-window-records-left", "records still to replay before the replay windows close"),
                (Gauge<Long>) (config, now) -> replayLeft);
        deadLettered = counter("dead-lettered-total", "records sent to the dead-letter queue");
        splits = counter(
                "split-transactions-total", "upstream transactions committed in more than one target transaction");
        unknownOutcomes = counter(
                "commit-outcome-unknown-total",
                "COMMITs whose answer was lost and that the checkpoint showed had landed");
    }

    /** The worker's plugin metrics when it has them (Kafka 4.1+), else a private registry. */
    public static SinkMetrics forTask(SinkTaskContext context) {
        MetricRegistry connect = context == null || !pluginMetricsApi() ? null : ConnectPluginMetrics.of(context);
        return connect != null ? new SinkMetrics(connect, true) : local();
    }

    /** Whether the worker's Connect API has plugin metrics (Kafka 4.1+), by reflection, before any class naming them loads. */
    private static boolean pluginMetricsApi() {
        try {
            SinkTaskContext.class.getMethod("pluginMetrics");
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    public static SinkMetrics local() {
        return new SinkMetrics(new LocalMetrics(), false);
    }

    /** True when the worker reports these metrics (JMX and its reporters). */
    public boolean reported() {
        return reported;
    }

    public void committed(int rows, int upstreamTransactions, long latencyNanos) {
        records.record(rows);
        transactions.record(upstreamTransactions);
        commits.record(rows);
        commitLatency.record(latencyNanos / 1e6);
    }

    /** One committed upstream transaction whose newest change the source made at {@code sourceTsMs}. */
    public void lag(long sourceTsMs, long committedAtMs) {
        lastLagMs = Math.max(0, committedAtMs - sourceTsMs);
        lag.record(lastLagMs, committedAtMs);
        if (sourceTsMs > newestSourceTsMs) {
            newestSourceTsMs = sourceTsMs;
        }
    }

    public void resolved(String kind) {
        tagged(
                        "safe-mode-resolutions-total",
                        "records safe mode resolved instead of failing, by resolution kind",
                        "kind",
                        kind)
                .record();
    }

    /** Registers the known kinds at zero, so a dashboard sees them before the first one happens. */
    public void resolutionKinds(Collection<String> kinds) {
        kinds.forEach(k -> tagged(
                "safe-mode-resolutions-total",
                "records safe mode resolved instead of failing, by resolution kind",
                "kind",
                k));
    }

    /** {@code by} is "kafka-offset" (redelivered below the checkpoint) or "source-position" (a Debezium re-emission). */
    public void duplicateSkipped(String by) {
        tagged("duplicates-skipped-total", "records skipped as already in the target, by the evidence used", "by", by)
                .record();
    }

    public void retried(String errorClass) {
        tagged("retries-total", "target operations retried after an error, by error class", "class", errorClass)
                .record();
    }

    public void ddl(String outcome) {
        tagged("ddl-total", "replicated schema changes, by outcome (applied, skipped)", "outcome", outcome)
                .record();
    }

    public void deadLettered() {
        deadLettered.record();
    }

    public void splitTransaction() {
        splits.record();
    }

    public void commitOutcomeUnknown() {
        unknownOutcomes.record();
    }

    /** What the task holds in memory, not yet committed: set after each put and each commit. */
    public void buffered(long rows, long bytes) {
        bufferedRows = rows;
        bufferedBytes = bytes;
    }

    /** Records still to replay below the open replay windows' ends (0 and closed when none is open). */
    public void replayWindow(boolean open, long recordsLeft) {
        replayOpen = open ? 1 : 0;
        replayLeft = recordsLeft;
    }

    public void partitionOpened(TopicPartition tp) {
        LinkedHashMap<String, String> tags = new LinkedHashMap<>();
        tags.put("topic", tp.topic());
        tags.put("partition", Integer.toString(tp.partition()));
        MetricName n = registry.name(
                "checkpoint-offset",
                "the next Kafka offset the target's checkpoint holds for this " + "partition (-1: none yet)",
                tags);
        if (checkpointNames.putIfAbsent(tp, n) == null) {
            checkpointOffsets.put(tp, -1L);
            registry.add(n, (Gauge<Long>) (config, now) -> checkpointOffsets.getOrDefault(tp, -1L));
        }
    }

    public void checkpointMoved(TopicPartition tp, long nextOffset) {
        checkpointOffsets.replace(tp, nextOffset);
    }

    public void partitionClosed(TopicPartition tp) {
        MetricName n = checkpointNames.remove(tp);
        checkpointOffsets.remove(tp);
        if (n != null) {
            registry.remove(n);
        }
    }

    /** Source-to-target lag of the last committed upstream transaction, -1 before the first; for the log line. */
    public long lastLagMs() {
        return lastLagMs;
    }

    /** Age of the newest change the target holds, -1 before the first; for the log line. */
    public long checkpointAgeMs(long nowMs) {
        return newestSourceTsMs < 0 ? -1L : Math.max(0, nowMs - newestSourceTsMs);
    }

    @Override
    public void close() {
        registry.close();
    }

    private Sensor counterAndRate(String base, String what) {
        Sensor s = registry.sensor("fksafe-" + base);
        s.add(name(base + "-total", what + ", since the task started"), new CumulativeSum());
        s.add(name(base + "-rate", what + ", per second"), new Rate());
        return s;
    }

    private Sensor counter(String name, String description) {
        Sensor s = registry.sensor("fksafe-" + name);
        s.add(name(name, description), new CumulativeCount());
        return s;
    }

    /** Synchronized: the task's thread and its apply thread both record (sensors themselves are thread-safe). */
    private synchronized Sensor tagged(String name, String description, String tag, String value) {
        String key = name + "|" + value;
        Sensor s = tagged.get(key);
        if (s == null) {
            LinkedHashMap<String, String> tags = new LinkedHashMap<>();
            tags.put(tag, value);
            MetricName n = registry.name(name, description, tags);
            s = registry.sensor("fksafe-" + key);
            s.add(n, new CumulativeCount());
            tagged.put(key, s);
        }
        return s;
    }

    private MetricName name(String name, String description) {
        return registry.name(name, description, new LinkedHashMap<>());
    }
}
