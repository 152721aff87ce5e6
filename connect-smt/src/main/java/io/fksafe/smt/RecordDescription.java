package io.fksafe.smt;

import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.sink.SinkRecord;

/** Names a record in error messages by its Kafka coordinates, so a user can find it with a console consumer. */
final class RecordDescription {

    private RecordDescription() {}

    static String of(ConnectRecord<?> record) {
        StringBuilder sb = new StringBuilder("topic '")
                .append(record.topic())
                .append("' partition ")
                .append(record.kafkaPartition());
        if (record instanceof SinkRecord s) {
            sb.append(" offset ").append(s.kafkaOffset());
        }
        return sb.toString();
    }
}
