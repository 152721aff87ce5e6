package io.fksafe.smt;

import java.util.concurrent.atomic.AtomicLongArray;

import io.fksafe.change.Op;

/**
 * What the transform did, counted on the task thread and read by the metrics reporter's thread. Connect gives each
 * task its own transform instance and calls it from that task's thread only, so each counter has one writer: it
 * stores its count plus one (an ordered store, no atomic read-modify-write per record) and the reader sees the
 * counts as they were a moment ago, never a torn one.
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

    private static final int MARKED_SAFE = Outcome.values().length;

    /** Outcomes by ordinal, then the count of records marked safe. */
    private final AtomicLongArray counts = new AtomicLongArray(MARKED_SAFE + 1);

    void count(Outcome outcome) {
        increment(outcome.ordinal());
    }

    void markedSafe() {
        increment(MARKED_SAFE);
    }

    private void increment(int i) {
        counts.lazySet(i, counts.get(i) + 1);
    }

    long get(Outcome outcome) {
        return counts.get(outcome.ordinal());
    }

    long markedSafeCount() {
        return counts.get(MARKED_SAFE);
    }
}
