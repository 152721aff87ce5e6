package io.fksafe.sink.ddl;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.TopicPartition;

import io.fksafe.change.SourcePosition;

/**
 * One row of the DDL journal: the record a schema change came from, the statement as it runs on the target (and the
 * database it runs in), the catalog counts of its effects before it ran, and whether it is done.
 */
record JournalEntry(
        String topic,
        int partition,
        long offset,
        SourcePosition position,
        String sourceDatabase,
        String sourceStatement,
        String targetDatabase,
        String statement,
        boolean fkChecks,
        List<Long> before,
        String state,
        String note) {

    static final String INTENT = "intent";
    static final String DONE = "done";
    static final String SKIPPED = "skipped";

    TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    boolean pending() {
        return INTENT.equals(state);
    }

    String key() {
        return "topic=" + topic + " partition=" + partition + " offset=" + offset;
    }

    static String formatCounts(List<Long> counts) {
        StringBuilder sb = new StringBuilder();
        for (Long c : counts) {
            sb.append(sb.length() == 0 ? "" : ",").append(c);
        }
        return sb.toString();
    }

    static List<Long> parseCounts(String text) {
        if (text == null) {
            return null;
        }
        List<Long> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(Long.parseLong(part.trim()));
            }
        }
        return out;
    }
}
