package io.fksafe.sink.ddl;

/** What a replicated statement is, as far as the sink is concerned. */
enum DdlKind {
    CREATE_DATABASE,
    ALTER_DATABASE,
    DROP_DATABASE,
    CREATE_TABLE,
    ALTER_TABLE,
    DROP_TABLE,
    RENAME_TABLE,
    CREATE_INDEX,
    DROP_INDEX,
    /** {@code SET}, {@code USE}: session state of the source's connection, nothing to replicate. */
    SESSION,
    /** Schema objects deliberately not replicated (views, triggers, routines, events, temporary tables, users, ...). */
    NOT_REPLICATED,
    /** Maintenance and other statements that change no schema ({@code ANALYZE}, {@code OPTIMIZE}, {@code FLUSH}, ...). */
    NO_SCHEMA_CHANGE,
    /** Anything else: refused with an error rather than guessed at. */
    UNSUPPORTED;

    /** Statements that change tables or databases and are run on the target. */
    boolean changesSchema() {
        return ordinal() <= DROP_INDEX.ordinal();
    }
}
