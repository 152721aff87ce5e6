package io.fksafe.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where each source transaction ended in the capture topic: the offsets of Debezium's END transaction markers, read
 * back after a run (so the reading costs the run nothing). The bench source has no writer but the workload, which
 * commits one transaction after another on one connection, so the k-th END marker after the run's first offset is
 * the workload's k-th transaction; the caller checks that the count matches.
 */
final class BenchTransactions {

    private static final byte[] END = "\"END\"".getBytes(StandardCharsets.US_ASCII);

    private BenchTransactions() {}

    /** Offsets of the END markers in {@code [from, to)} of the topic's only partition, ascending. */
    static long[] endMarkers(String bootstrap, String topic, long from, long to) throws IOException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        TopicPartition tp = new TopicPartition(topic, 0);
        long[] out = new long[1024];
        int n = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, from);
            while (consumer.position(tp) < to) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("could not read " + topic + " up to offset " + to + " within 5 minutes");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    if (r.offset() < to && isEnd(r.value())) {
                        if (n == out.length) {
                            out = Arrays.copyOf(out, 2 * n);
                        }
                        out[n++] = r.offset();
                    }
                }
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** A transaction marker with status END (the byte search only spares parsing the row events). */
    private static boolean isEnd(byte[] value) throws IOException {
        if (value == null || !contains(value, END)) {
            return false;
        }
        JsonNode v = ConnectRest.JSON.readTree(value);
        JsonNode payload = v.has("payload") && v.has("schema") ? v.get("payload") : v;
        return payload.path("status").asText().equals("END") && payload.has("event_count");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
