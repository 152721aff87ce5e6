package io.fksafe.change;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

import io.fksafe.data.StructWrites;

/**
 * The fields of one change-record schema, found once: the transform encodes and the sink decodes every record, and
 * each read or write by name is a hash lookup in the schema. Only for schemas laid out as this version writes them (every field there, of its type, no
 * defaults), where reading by field gives exactly what the by-name getters give; others are read by name.
 */
final class EnvelopeFields {

    private static final int SLOTS = 16;
    /**
     * The schemas decoded lately, by instance (converters reuse them: one per table). Shared by threads without a lock,
     * as a memo of immutable objects can be: a reader finds a whole entry, another one, or none.
     */
    private static final EnvelopeFields[] RECENT = new EnvelopeFields[SLOTS];

    private static int next;

    private final Schema schema;
    private final Field op;
    private final Field database;
    private final Field table;
    private final Field key;
    private final Field oldKey;
    private final Field row;
    private final Field position;
    private final Field txId;
    private final Field txEventCount;
    private final Field safe;
    private final Field ddl;
    private final Field sourceTsMs;

    private EnvelopeFields(Schema s) {
        this.schema = s;
        this.op = s.field(ChangeRecord.OP);
        this.database = s.field(ChangeRecord.DATABASE);
        this.table = s.field(ChangeRecord.TABLE);
        this.key = s.field(ChangeRecord.KEY);
        this.oldKey = s.field(ChangeRecord.OLD_KEY);
        this.row = s.field(ChangeRecord.ROW);
        this.position = s.field(ChangeRecord.POSITION);
        this.txId = s.field(ChangeRecord.TX_ID);
        this.txEventCount = s.field(ChangeRecord.TX_EVENT_COUNT);
        this.safe = s.field(ChangeRecord.SAFE);
        this.ddl = s.field(ChangeRecord.DDL);
        this.sourceTsMs = s.field(ChangeRecord.SOURCE_TS_MS);
    }

    /** The fields of {@code schema}; null when it is not laid out as this version writes it. */
    static EnvelopeFields of(Schema schema) {
        for (EnvelopeFields f : RECENT) {
            if (f != null && f.schema == schema) {
                return f;
            }
        }
        EnvelopeFields f = new EnvelopeFields(schema);
        if (!f.usable()) {
            return null;
        }
        RECENT[next++ & (SLOTS - 1)] = f;
        return f;
    }

    private boolean usable() {
        return is(op, Schema.Type.STRING, true)
                && is(database, Schema.Type.STRING, true)
                && is(table, Schema.Type.STRING, true)
                && is(position, Schema.Type.STRING, true)
                && is(txId, Schema.Type.STRING, true)
                && is(txEventCount, Schema.Type.INT64, true)
                && is(safe, Schema.Type.BOOLEAN, true)
                && is(ddl, Schema.Type.STRING, true)
                && is(key, Schema.Type.STRUCT, false)
                && is(oldKey, Schema.Type.STRUCT, false)
                && is(row, Schema.Type.STRUCT, false)
                && is(sourceTsMs, Schema.Type.INT64, false);
    }

    /** Struct.get(Field) answers a null with the field's default: without one it is the value, as the getters give. */
    private static boolean is(Field f, Schema.Type type, boolean required) {
        return f == null ? !required : f.schema().type() == type && f.schema().defaultValue() == null;
    }

    ChangeRecord.Builder read(Struct s) {
        return ChangeRecord.builder(Op.fromWireName((String) s.get(op)))
                .database((String) s.get(database))
                .table((String) s.get(table))
                .key(key == null ? null : (Struct) s.get(key))
                .oldKey(oldKey == null ? null : (Struct) s.get(oldKey))
                .row(row == null ? null : (Struct) s.get(row))
                .position(SourcePosition.parse((String) s.get(position)))
                .txId((String) s.get(txId))
                .txEventCount((Long) s.get(txEventCount))
                .safe(Boolean.TRUE.equals(s.get(safe)))
                .ddl((String) s.get(ddl))
                .sourceTsMs(sourceTsMs == null ? null : (Long) s.get(sourceTsMs));
    }

    /**
     * What {@link ChangeRecord#toStruct(Schema)} writes by name, written through the fields found once: the same
     * values into the same fields; a value for a field the schema lacks fails as the by-name put does. No value is
     * validated again: each is of its field's type here ({@link #usable}), and a key or row is a complete Struct of
     * its field's schema (a copy under it where needed), built by the converter or the transform with validated puts.
     */
    Struct write(ChangeRecord r) {
        Struct s = new Struct(schema);
        StructWrites.putBuilt(s, op, r.op().wireName());
        StructWrites.putBuilt(s, safe, r.safe());
        String positionText = r.position() == null ? null : r.position().format();
        putNonNull(s, database, r.database());
        putNonNull(s, table, r.table());
        putNonNull(s, position, positionText);
        putNonNull(s, txId, r.txId());
        putNonNull(s, txEventCount, r.txEventCount());
        putNonNull(s, ddl, r.ddl());
        if (r.sourceTsMs() != null) {
            if (sourceTsMs == null) {
                s.put(ChangeRecord.SOURCE_TS_MS, r.sourceTsMs()); // fails as it always did: no such field
            }
            StructWrites.putBuilt(s, sourceTsMs, r.sourceTsMs());
        }
        boolean asIs = putStruct(s, key, ChangeRecord.KEY, r.key());
        asIs &= putStruct(s, oldKey, ChangeRecord.OLD_KEY, r.oldKey());
        asIs &= putStruct(s, row, ChangeRecord.ROW, r.row());
        if (asIs) { // a key or row copied under the envelope's schema would decode into another object: decode it
            HandOver.put(s, r, positionText);
        }
        return s;
    }

    /**
     * Whether {@code s} holds, by reference, each value {@link #write} put into it for {@code r}: then decoding it
     * would give {@code r}'s values back (the position parsed from {@code position}, the text written).
     */
    boolean holds(Struct s, ChangeRecord r, String position) {
        return s.schema() == schema
                && s.get(op) == r.op().wireName()
                && s.get(safe) == Boolean.valueOf(r.safe())
                && has(s, database, r.database())
                && has(s, table, r.table())
                && has(s, this.position, position)
                && has(s, txId, r.txId())
                && has(s, txEventCount, r.txEventCount())
                && has(s, ddl, r.ddl())
                && has(s, sourceTsMs, r.sourceTsMs())
                && has(s, key, r.key())
                && has(s, oldKey, r.oldKey())
                && has(s, row, r.row());
    }

    private static boolean has(Struct s, Field f, Object value) {
        return f == null ? value == null : s.get(f) == value;
    }

    private static void putNonNull(Struct s, Field f, Object value) {
        if (value != null) {
            StructWrites.putBuilt(s, f, value);
        }
    }

    /** Puts {@code value} (a copy if its schema differs from the field's); whether it went in as it is. */
    private static boolean putStruct(Struct s, Field f, String name, Struct value) {
        if (value == null) {
            return true;
        }
        if (f == null) {
            throw new DataException("envelope schema has no '" + name + "' field");
        }
        Struct v = EnvelopeSchemas.underSchema(value, f.schema());
        StructWrites.putBuilt(s, f, v);
        return v == value;
    }
}
