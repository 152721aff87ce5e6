package io.fksafe.sink.metrics;

import java.util.LinkedHashMap;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MetricValueProvider;
import org.apache.kafka.common.metrics.Sensor;

/**
 * Where the sink's metrics live: the worker's plugin metrics when it has them, else a private registry that only
 * the task's log line reads. Keeps every reference to Kafka's {@code PluginMetrics} (Kafka 4.1+) in one class, so the
 * plugin still loads on an older worker.
 */
interface MetricRegistry {

    MetricName name(String name, String description, LinkedHashMap<String, String> tags);

    void add(MetricName name, MetricValueProvider<?> provider);

    void remove(MetricName name);

    Sensor sensor(String name);

    /** Drops everything this registry added. */
    void close();
}
