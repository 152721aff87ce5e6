package io.fksafe.sink.config;

import java.util.Locale;

/** The sink's safe-mode knob. The SMT has its own; a record is replayed safely if either says so. */
public enum SafeMode {
    /** Safe mode where the SMT marked a record (forced run, configured window) or the sink knows it replays. */
    AUTO,
    /** Every record is treated as a possible replay: FK conflicts are resolved by the FK's rule. */
    ALWAYS,
    /** Strict: no record is resolved, whatever the SMT says; any FK conflict stops the task. */
    NEVER;

    public static SafeMode parse(String value) {
        return SafeMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    /**
     * Whether a record is applied in safe mode, given whether it may already be in the target: the SMT marked it, it
     * lies in a replay window, or only a part of its transaction is known to be committed.
     */
    public boolean appliesTo(boolean mayBeInTarget) {
        return switch (this) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> mayBeInTarget;
        };
    }
}
