package io.fksafe.smt;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.fksafe.change.Op;

/**
 * What the transform did, counted on the task thread and read by the metrics reporter's thread: adders, so neither
 * side locks.
 */
final class TransformCounters {

    /** What became of one input record. */
    enum Outcome {
        INSERT,
        UPDATE,
        KEY_UPDATE,
        DELETE,
        READ,
        TX_BEGIN,
        TX_END,
        DDL,
        TOMBSTONE_DROPPED,
        KEY_CHANGE_DELETE_DROPPED,
        TRUNCATE_SKIPPED,
        PASSED_THROUGH;

        static Outcome of(Op op) {
            return switch (op) {
                case INSERT -> INSERT;
                case UPDATE -> UPDATE;
                case KEY_UPDATE -> KEY_UPDATE;
                case DELETE -> DELETE;
                case READ -> READ;
                case TX_BEGIN -> TX_BEGIN;
                case TX_END -> TX_END;
                case DDL -> DDL;
            };
        }
    }

    private final Map<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);
    private final LongAdder markedSafe = new LongAdder();

    TransformCounters() {
        for (Outcome o : Outcome.values()) {
            outcomes.put(o, new LongAdder());
        }
    }

    void count(Outcome outcome) {
        outcomes.get(outcome).increment();
    }

    void markedSafe() {
        markedSafe.increment();
    }

    long get(Outcome outcome) {
        return outcomes.get(outcome).sum();
    }

    long markedSafeCount() {
        return markedSafe.sum();
    }
}
