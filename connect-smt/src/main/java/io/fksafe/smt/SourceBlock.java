package io.fksafe.smt;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

import io.fksafe.change.SourcePosition;

/**
 * Reads Debezium's {@code source} block (MySQL and MariaDB connectors): database, table and binlog position.
 *
 * <p>Fields are tolerated when absent, because connector versions differ: {@code gtid} is null without GTIDs,
 * {@code row} is the row's index inside a multi-row binlog event (all rows share {@code pos}). Every value is read as
 * written, without the schema's default. The fields of a source schema are found once per schema instance (every
 * record of a connector shares it), not by name per record.
 */
final class SourceBlock {

    private static final SchemaMemo<SourceBlock> BLOCKS = new SchemaMemo<>(SourceBlock::new);

    private final Field db;
    private final Field table;
    private final Field gtid;
    private final Field file;
    private final Field pos;
    private final Field row;
    private final Field snapshot;
    private final Field tsMs;

    private SourceBlock(Schema s) {
        this.db = s.field("db");
        this.table = s.field("table");
        this.gtid = s.field("gtid");
        this.file = s.field("file");
        this.pos = s.field("pos");
        this.row = s.field("row");
        this.snapshot = s.field("snapshot");
        this.tsMs = s.field("ts_ms");
    }

    private static SourceBlock of(Struct source) {
        return BLOCKS.get(source.schema());
    }

    static String database(Struct source) {
        return source == null ? null : string(source, of(source).db);
    }

    static String table(Struct source) {
        return source == null ? null : string(source, of(source).table);
    }

    static String gtid(Struct source) {
        return source == null ? null : string(source, of(source).gtid);
    }

    /**
     * The event's position. {@code event} is its index in the transaction (Debezium's transaction.total_order, 0 when
     * unknown); {@code snapshotRead} is set for op 'r' even where source.snapshot says otherwise.
     */
    static SourcePosition position(Struct source, long event, boolean snapshotRead) {
        if (source == null) {
            return null;
        }
        SourceBlock b = of(source);
        return new SourcePosition(
                string(source, b.gtid),
                string(source, b.file),
                number(source, b.pos),
                event,
                (int) number(source, b.row),
                snapshotRead || snapshot(string(source, b.snapshot)));
    }

    /** When the source committed the change (epoch ms); null when absent or 0 (snapshot reads may leave it unset). */
    static Long timestampMs(Struct source) {
        long ts = source == null ? 0L : number(source, of(source).tsMs);
        return ts > 0 ? ts : null;
    }

    /**
     * Debezium's {@code source.snapshot}: "false", empty or absent mean a streamed event, any other value ("true",
     * "first", "last", ...) a snapshot read. Compared without case folding: ASCII letters match their other case, and
     * no other character lower-cases to one of "false".
     */
    private static boolean snapshot(String s) {
        if (s == null || "false".equals(s)) { // what streamed events carry
            return false;
        }
        String t = s.trim();
        return !(t.isEmpty() || isFalse(t));
    }

    private static boolean isFalse(String t) {
        if (t.length() != 5) {
            return false;
        }
        for (int i = 0; i < 5; i++) {
            if ((t.charAt(i) | 0x20) != "false".charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String string(Struct s, Field f) {
        Object v = value(s, f);
        return v == null ? null : v.toString();
    }

    private static long number(Struct s, Field f) {
        return value(s, f) instanceof Number n ? n.longValue() : 0L;
    }

    /**
     * The value as written. {@code Struct.get(Field)} turns a null into the field's default, so only an answer that is
     * the default object itself (Debezium's source.snapshot has one) is asked again by name.
     */
    private static Object value(Struct s, Field f) {
        if (f == null) {
            return null;
        }
        Object v = s.get(f);
        return v != null && v == f.schema().defaultValue() ? s.getWithoutDefault(f.name()) : v;
    }
}
