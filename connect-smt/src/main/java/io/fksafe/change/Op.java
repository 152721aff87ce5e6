package io.fksafe.change;

import java.util.Locale;

/** What a change record asks the sink to do. The wire name is the lower-case enum name. */
public enum Op {
    /** A new row from the binlog. Applied as an idempotent upsert. */
    INSERT,
    /** A row changed without touching its primary key. */
    UPDATE,
    /** A row whose primary key changed: applied as one UPDATE ... SET pk=new WHERE pk=old, so ON UPDATE rules run. */
    KEY_UPDATE,
    /** A row removed. The target runs its own ON DELETE rules. */
    DELETE,
    /** A row from the source connector's initial snapshot: upserted with FK checks off (tables arrive in any order). */
    READ,
    /** An upstream transaction starts (Debezium BEGIN). Carries only the transaction id and position. */
    TX_BEGIN,
    /** An upstream transaction ends (Debezium END). Carries the transaction id and its event count. */
    TX_END,
    /** A schema change (DDL statement) in stream order. */
    DDL;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    /** The op of a wire name; the transform writes lower case, other cases are read too (as they always were). */
    public static Op fromWireName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("change record has no 'op'");
        }
        Op op = switch (name) { // per record: the names the transform writes, without case folding
            case "insert" -> INSERT;
            case "update" -> UPDATE;
            case "key_update" -> KEY_UPDATE;
            case "delete" -> DELETE;
            case "read" -> READ;
            case "tx_begin" -> TX_BEGIN;
            case "tx_end" -> TX_END;
            case "ddl" -> DDL;
            default -> null;
        };
        if (op != null) {
            return op;
        }
        try {
            return Op.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown change record op '" + name + "'", e);
        }
    }

    /** True for the operations that carry a row of a table. */
    public boolean isRowChange() {
        return this == INSERT || this == UPDATE || this == KEY_UPDATE || this == DELETE || this == READ;
    }
}
