package io.fksafe.smt;

import java.util.Set;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

import io.fksafe.change.SourcePosition;

/**
 * Reads Debezium's {@code source} block (MySQL and MariaDB connectors): database, table and binlog position.
 *
 * <p>Fields are looked up by name and tolerated when absent, because connector versions differ: {@code gtid} is
 * null without GTIDs, {@code row} is the row's index inside a multi-row binlog event (all rows share {@code pos}).
 */
final class SourceBlock {

    /** Debezium's {@code source.snapshot} values that mean "not a snapshot read"; all others ("true", "first", ...) do. */
    private static final Set<String> NOT_SNAPSHOT = Set.of("false", "");

    private SourceBlock() {}

    static String database(Struct source) {
        return string(source, "db");
    }

    static String table(Struct source) {
        return string(source, "table");
    }

    static String gtid(Struct source) {
        return string(source, "gtid");
    }

    static boolean snapshot(Struct source) {
        String s = string(source, "snapshot");
        if (s == null || "false".equals(s)) { // what streamed events carry: no case folding per record
            return false;
        }
        return !NOT_SNAPSHOT.contains(s.trim().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The event's position. {@code event} is its index in the transaction (Debezium's transaction.total_order, 0 when
     * unknown); {@code snapshotRead} is set for op 'r' even where source.snapshot says otherwise.
     */
    static SourcePosition position(Struct source, long event, boolean snapshotRead) {
        if (source == null) {
            return null;
        }
        return new SourcePosition(
                gtid(source),
                string(source, "file"),
                number(source, "pos"),
                event,
                (int) number(source, "row"),
                snapshotRead || snapshot(source));
    }

    /** When the source committed the change (epoch ms); null when absent or 0 (snapshot reads may leave it unset). */
    static Long timestampMs(Struct source) {
        long ts = source == null ? 0L : number(source, "ts_ms");
        return ts > 0 ? ts : null;
    }

    static String string(Struct s, String name) {
        Object v = value(s, name);
        return v == null ? null : v.toString();
    }

    private static long number(Struct s, String name) {
        Object v = value(s, name);
        return v instanceof Number n ? n.longValue() : 0L;
    }

    private static Object value(Struct s, String name) {
        if (s == null) {
            return null;
        }
        Field f = s.schema().field(name);
        return f == null ? null : s.getWithoutDefault(name);
    }
}
