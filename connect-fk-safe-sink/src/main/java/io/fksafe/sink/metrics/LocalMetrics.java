package io.fksafe.sink.metrics;

import java.util.LinkedHashMap;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MetricValueProvider;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;

/** A registry of the task's own, with no reporter: the figures still feed the log line on a worker without plugin metrics. */
final class LocalMetrics implements MetricRegistry {

    private final Metrics metrics = new Metrics();

    @Override
    public MetricName name(String name, String description, LinkedHashMap<String, String> tags) {
        return metrics.metricName(name, "plugins", description, tags);
    }

    @Override
    public void add(MetricName name, MetricValueProvider<?> provider) {
        metrics.addMetric(name, provider);
    }

    @Override
    public void remove(MetricName name) {
        metrics.removeMetric(name);
    }

    @Override
    public Sensor sensor(String name) {
        return metrics.sensor(name);
    }

    @Override
    public void close() {
        metrics.close();
    }
}
