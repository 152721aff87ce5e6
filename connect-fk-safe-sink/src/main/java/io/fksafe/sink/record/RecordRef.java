package io.fksafe.sink.record;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/** A record's original Kafka coordinates (before any SMT renamed its topic): what offsets are committed by. */
public record RecordRef(String topic, int partition, long offset) {

    public static RecordRef of(SinkRecord r) {
        return new RecordRef(r.originalTopic(), r.originalKafkaPartition(), r.originalKafkaOffset());
    }

    /**
     * The partition, as one shared instance while records keep coming from the same one: asked for per row on the
     * intake and apply threads, and a TopicPartition caches its hash, which a new one per call would compute anew.
     */
    public TopicPartition topicPartition() {
        TopicPartition last = lastPartition; // immutable, so a racy read sees a whole one: this, another, or none
        if (last != null && last.partition() == partition && last.topic().equals(topic)) {
            return last;
        }
        TopicPartition tp = new TopicPartition(topic, partition);
        lastPartition = tp;
        return tp;
    }

    private static TopicPartition lastPartition;

    @Override
    public String toString() {
        return "topic=" + topic + " partition=" + partition + " offset=" + offset;
    }
}
