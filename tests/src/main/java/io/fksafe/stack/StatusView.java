package io.fksafe.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The sink's part of {@code ./fksafe status}: where its checkpoint is (from the target), how far behind the topic's end
 * (from the broker), and lag, rate and resolutions (from the worker's metrics over JMX). Nothing is recomputed here.
 */
final class StatusView {

    private StatusView() {}

    static void print(Stack stack, long workerPid, PrintStream out) throws IOException {
        try (Pipeline p = new Pipeline(stack)) {
            String sink = p.sink().name();
            String table = p.sink().config().getOrDefault("checkpoint.table", "fksafe.fksafe_checkpoint");
            long end = p.endOffset();
            List<List<String>> cp = checkpoint(stack, table, sink, p.topic());
            if (cp.isEmpty()) {
                out.printf("  %-8s no checkpoint yet in %s; topic %s ends at %d%n", "sink", table, p.topic(), end);
            } else {
                long next = Long.parseLong(cp.get(0).get(0));
                out.printf(
                        "  %-8s checkpoint %s partition 0 offset %d (source position %s); topic end %d: %d records behind%n",
                        "sink", p.topic(), next, cp.get(0).get(1), end, Math.max(0, end - next));
            }
            Map<String, Double> m = WorkerMetrics.read(workerPid, sink);
            if (m.isEmpty()) {
                out.printf("  %-8s no metrics from the worker (task not running, or a worker before Kafka 4.1)%n", "");
                return;
            }
            out.printf(
                    "  %-8s lag %s (last), p99 %s, max %s; checkpoint age %s; %.0f records/s, %.0f commits/s; "
                            + "buffered %.0f rows%n",
                    "",
                    ms(m.get("replication-lag-ms")),
                    ms(m.get("replication-lag-p99-ms")),
                    ms(m.get("replication-lag-max-ms")),
                    ms(m.get("checkpoint-age-ms")),
                    get(m, "records-applied-rate"),
                    get(m, "target-commits-rate"),
                    get(m, "buffered-rows"));
            out.printf(
                    "  %-8s applied %.0f records in %.0f upstream transactions, %.0f commits; %.0f dead-lettered; "
                            + "replay window %s%n",
                    "",
                    get(m, "records-applied-total"),
                    get(m, "transactions-applied-total"),
                    get(m, "target-commits-total"),
                    get(m, "dead-lettered-total"),
                    get(m, "replay-window-open") > 0
                            ? "open, " + (long) get(m, "replay-window-records-left") + " records left"
                            : "closed");
            out.printf(
                    "  %-8s safe-mode resolutions %s; duplicates skipped %s; retries %s%n",
                    "",
                    tagged(m, "safe-mode-resolutions-total"),
                    tagged(m, "duplicates-skipped-total"),
                    tagged(m, "retries-total"));
        }
    }

    private static List<List<String>> checkpoint(Stack stack, String table, String sink, String topic) {
        String[] t = table.split("\\.", 2);
        try {
            return stack.target()
                    .query("SELECT next_offset, COALESCE(source_position, '-') FROM `" + t[0] + "`.`" + t[1]
                            + "` WHERE connector = '" + sink.replace("'", "''") + "' AND topic = '"
                            + topic.replace("'", "''")
                            + "' AND kafka_partition = 0");
        } catch (IllegalStateException noTableYet) {
            return List.of();
        }
    }

    private static double get(Map<String, Double> m, String name) {
        Double v = m.get(name);
        return v == null || v.isNaN() ? 0 : v;
    }

    private static String ms(Double v) {
        if (v == null || v.isNaN() || v < 0) {
            return "-";
        }
        return v < 10_000 ? String.format("%.0f ms", v) : String.format("%.1f s", v / 1000);
    }

    /** The non-zero counts of one tagged counter, e.g. "kind=x: 2", or "none". */
    private static String tagged(Map<String, Double> m, String name) {
        String s = m.entrySet().stream()
                .filter(e -> e.getKey().startsWith(name + "{") && e.getValue() > 0)
                .map(e -> e.getKey().substring(name.length() + 1, e.getKey().length() - 1) + ": "
                        + e.getValue().longValue())
                .collect(Collectors.joining(", "));
        return s.isEmpty() ? "none" : s;
    }
}
