package io.fksafe.sink.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.MetricValueProvider;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.connect.sink.SinkTaskContext;

/** The worker's plugin metrics (KIP-877): JMX and any reporter the worker has, tagged by connector and task. */
final class ConnectPluginMetrics implements MetricRegistry {

    private final PluginMetrics metrics;
    private final List<MetricName> added = new ArrayList<>();
    private final List<String> sensors = new ArrayList<>();

    private ConnectPluginMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Null when the context has none (e.g. a test harness). Call only when {@link SinkMetrics} found the API: on an older worker
     * even loading this class's references to PluginMetrics would fail.
     */
    static MetricRegistry of(SinkTaskContext context) {
        try {
            PluginMetrics m = context.pluginMetrics();
            return m == null ? null : new ConnectPluginMetrics(m);
        } catch (UnsupportedOperationException | LinkageError e) {
            return null;
        }
    }

    @Override
    public MetricName name(String name, String description, LinkedHashMap<String, String> tags) {
        return metrics.metricName(name, description, tags);
    }

    @Override
    public void add(MetricName name, MetricValueProvider<?> provider) {
        metrics.addMetric(name, provider);
        added.add(name);
    }

    @Override
    public void remove(MetricName name) {
        metrics.removeMetric(name);
        added.remove(name);
    }

    @Override
    public Sensor sensor(String name) {
        sensors.add(name);
        return metrics.addSensor(name);
    }

    @Override
    public void close() {
        try {
            added.forEach(metrics::removeMetric);
            sensors.forEach(metrics::removeSensor);
        } catch (IllegalStateException e) {
            // the worker closed them with the task already
        }
        added.clear();
        sensors.clear();
    }
}
