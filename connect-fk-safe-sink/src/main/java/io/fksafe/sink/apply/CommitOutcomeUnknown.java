package io.fksafe.sink.apply;

import java.sql.SQLException;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

import io.fksafe.sink.checkpoint.Checkpoint;

/**
 * The connection failed while COMMIT was in flight: the transaction may or may not have landed. Only the target's
 * checkpoint can tell, so the caller reads it on a fresh connection, with a locking read that waits for the
 * transaction to end, instead of guessing.
 */
final class CommitOutcomeUnknown extends Exception {

    final Map<TopicPartition, Checkpoint> expected;

    CommitOutcomeUnknown(SQLException cause, Map<TopicPartition, Checkpoint> expected) {
        super("the connection failed during COMMIT: " + cause.getMessage(), cause);
        this.expected = expected;
    }

    SQLException sqlCause() {
        return (SQLException) getCause();
    }
}
