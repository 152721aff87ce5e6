package io.fksafe.stack;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

import org.apache.kafka.common.utils.Sanitizer;

/**
 * Reads one connector's plugin metrics from a running Connect worker, as an operator's JMX tool would ({@link WorkerJvm}:
 * attached by PID, so the local stack opens no JMX port).
 */
public final class WorkerMetrics {

    private WorkerMetrics() {}

    /**
     * Every numeric attribute of the MBeans {@code kafka.connect:type=plugins,connector=<connector>,…}, keyed by
     * attribute name, with the MBean's extra tags (other than connector and task) in braces, e.g.
     * {@code safe-mode-resolutions-total{kind=skipped-child-of-deleted-cascade-parent}}.
     */
    public static Map<String, Double> read(long pid, String connector) throws IOException {
        Map<String, Double> out = new TreeMap<>();
        try (WorkerJvm worker = WorkerJvm.attach(pid)) {
            MBeanServerConnection jmx = worker.mbeans();
            for (ObjectName n : jmx.queryNames(
                    new ObjectName("kafka.connect:type=plugins,connector=" + Sanitizer.jmxSanitize(connector) + ",*"),
                    null)) {
                String tags = tags(n);
                for (MBeanAttributeInfo a : jmx.getMBeanInfo(n).getAttributes()) {
                    Object v = jmx.getAttribute(n, a.getName());
                    if (v instanceof Number num) {
                        out.put(a.getName() + tags, num.doubleValue());
                    }
                }
            }
        } catch (javax.management.JMException e) {
            throw new IOException("reading the worker's metrics: " + e.getMessage(), e);
        }
        return out;
    }

    private static String tags(ObjectName n) {
        StringBuilder b = new StringBuilder();
        n.getKeyPropertyList().forEach((k, v) -> {
            if (!k.equals("type") && !k.equals("connector") && !k.equals("task")) {
                b.append(b.length() == 0 ? "{" : ",").append(k).append('=').append(v);
            }
        });
        return b.length() == 0 ? "" : b.append('}').toString();
    }
}
