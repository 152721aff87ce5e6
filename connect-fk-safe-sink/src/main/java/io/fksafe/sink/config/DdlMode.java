package io.fksafe.sink.config;

import java.util.Locale;

/** What the sink does with a schema-change record ({@code ddl.mode}). */
public enum DdlMode {
    /** Run it on the target in stream order, journaled for crash safety (see docs/ddl.md). */
    APPLY,
    /** Log it and go on: the target schema is changed by hand. */
    SKIP,
    /** Stop the task at it (after committing every row before it). */
    FAIL;

    public static DdlMode parse(String value) {
        return DdlMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
