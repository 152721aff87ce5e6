package io.fksafe.sink.record;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/** A record's original Kafka coordinates (before any SMT renamed its topic): what offsets are committed by. */
public record RecordRef(String topic, int partition, long offset) {

    public static RecordRef of(SinkRecord r) {
        return new RecordRef(r.originalTopic(), r.originalKafkaPartition(), r.originalKafkaOffset());
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    @Override
    public String toString() {
        return "topic=" + topic + " partition=" + partition + " offset=" + offset;
    }
}
