package io.fksafe.sink.apply;

import java.util.List;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.sink.dialect.ErrorKind;
import io.fksafe.sink.record.RecordRef;

/**
 * The dead-letter queue, when the user configured one (the worker then hands the task a reporter). Only bad input
 * goes there — values that do not fit, unknown tables or columns, oversized rows — never an FK violation, which
 * means lost order rather than a bad record.
 */
final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final ApplyStats stats;
    private ErrantRecordReporter reporter;

    DeadLetters(ApplyStats stats) {
        this.stats = stats;
    }

    void reporter(ErrantRecordReporter reporter) {
        this.reporter = reporter;
    }

    /** Reports and waits, so the record is durable in the DLQ before any offset can pass it; false without a DLQ. */
    boolean report(SinkRecord record, Throwable error) {
        if (reporter == null || record == null) {
            return false;
        }
        try {
            reporter.report(record, error).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while reporting a record to the dead-letter queue", e);
        } catch (ExecutionException e) {
            throw new ConnectException(
                    "could not write record " + RecordRef.of(record) + " to the dead-letter queue", e.getCause());
        }
        stats.addDeadLettered();
        log.warn("record {} sent to the dead-letter queue: {}", RecordRef.of(record), error.getMessage());
        return true;
    }

    /**
     * Sends the row a failed batch blames to the DLQ and takes it out of the batch; false if it must stop the task.
     * A statement or transaction that is too large as a whole blames no row: the caller makes it smaller instead.
     */
    boolean takeOut(List<Unit> batch, ApplyException e) {
        ErrorKind kind = e.kind();
        if (kind != ErrorKind.DATA && kind != ErrorKind.SCHEMA && kind != ErrorKind.ROW_TOO_LARGE) {
            return false;
        }
        SinkRecord origin = null;
        for (Unit u : batch) {
            origin = origin != null ? origin : u.originOf(e.row());
        }
        if (!report(origin, e)) {
            return false;
        }
        for (Unit u : batch) {
            u.dropRow(e.row());
        }
        return true;
    }
}
