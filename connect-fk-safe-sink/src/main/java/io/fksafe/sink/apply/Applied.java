package io.fksafe.sink.apply;

/** Whether the target already has a change, as its source position tells. */
public enum Applied {
    /** Not yet: apply it. */
    NO,
    /** Exactly known to be in the target: skip it (its offset still moves). */
    YES,
    /**
     * In a transaction the target holds part of, with no exact position to tell (no transaction metadata): apply it
     * again, in safe mode, which is idempotent.
     */
    MAYBE
}
