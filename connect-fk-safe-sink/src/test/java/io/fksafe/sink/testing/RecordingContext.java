package io.fksafe.sink.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;

/** The worker's side of the task contract, recording what the task asked for (seek offsets, retry timeout). */
public final class RecordingContext implements SinkTaskContext {

    public final Map<TopicPartition, Long> offsets = new HashMap<>();
    /** Seeks asked for and not yet carried out by a driver (as Connect's next poll would: {@link #takeSeeks}). */
    private final Map<TopicPartition, Long> pendingSeeks = new HashMap<>();
    /** Partitions the task paused (its backoff after a failure). */
    public final Set<TopicPartition> paused = new java.util.HashSet<>();

    public long timeoutMs = -1;
    /** Records sent to the dead-letter queue; null when none is configured (the worker then returns no reporter). */
    public java.util.List<org.apache.kafka.connect.sink.SinkRecord> deadLetters;

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    @Override
    public void offset(Map<TopicPartition, Long> offsets) {
        this.offsets.putAll(offsets);
        pendingSeeks.putAll(offsets);
    }

    @Override
    public void offset(TopicPartition tp, long offset) {
        offsets.put(tp, offset);
        pendingSeeks.put(tp, offset);
    }

    public boolean hasSeeks() {
        return !pendingSeeks.isEmpty();
    }

    /** The seeks asked for since the last call, cleared: what Connect's next poll rewinds to. */
    public Map<TopicPartition, Long> takeSeeks() {
        Map<TopicPartition, Long> out = new HashMap<>(pendingSeeks);
        pendingSeeks.clear();
        return out;
    }

    @Override
    public void timeout(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    @Override
    public Set<TopicPartition> assignment() {
        return Set.of();
    }

    @Override
    public void pause(TopicPartition... partitions) {
        paused.addAll(java.util.List.of(partitions));
    }

    @Override
    public void resume(TopicPartition... partitions) {
        java.util.List.of(partitions).forEach(paused::remove);
    }

    @Override
    public void requestCommit() {}

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        if (deadLetters == null) {
            return null;
        }
        return (record, error) -> {
            if (Thread.currentThread().getName().startsWith("fksafe-apply-")) {
                // the worker's reporter is not documented as thread-safe: only the task's thread may call it
                throw new IllegalStateException("the dead-letter reporter was called from the apply thread");
            }
            deadLetters.add(record);
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        };
    }

    /** When set, the task gets the worker's kind of plugin metrics, registered here; null: a worker without them. */
    public org.apache.kafka.common.metrics.Metrics metrics;

    @Override
    public PluginMetrics pluginMetrics() {
        return metrics == null
                ? null
                : new org.apache.kafka.common.metrics.internals.PluginMetricsImpl(
                        metrics, Map.of("connector", "test", "task", "0"));
    }
}
