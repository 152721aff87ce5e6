package io.fksafe.smt;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Headers;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.Op;
import io.fksafe.change.SourcePosition;

/**
 * Maps one Debezium row change envelope (op c/u/d/r) to a change record. Truncates and the DELETE half of a key
 * change are decided by the caller before this runs.
 */
final class RowChangeMapper {

    private final SafeModePolicy safeMode;

    RowChangeMapper(SafeModePolicy safeMode) {
        this.safeMode = safeMode;
    }

    /**
     * @param envelope  the Debezium value
     * @param recordKey Debezium's record key (the table's primary key, or message.key.columns)
     * @param keySchema the change record's key schema, from {@link ChangeRecord#envelopeSchema}
     * @param rowSchema the change record's row schema, from {@link ChangeRecord#envelopeSchema}
     */
    ChangeRecord map(
            EnvelopeLayout layout,
            Struct envelope,
            Object recordKey,
            Headers headers,
            Schema keySchema,
            Schema rowSchema) {
        String op = layout.op(envelope);
        Struct source = layout.source(envelope);
        Struct before = layout.before(envelope);
        Struct after = layout.after(envelope);
        Struct key = StructCoercion.toStruct(recordKey, keySchema, "record key");
        Struct row = StructCoercion.toStruct(after, rowSchema, "'after'");
        Struct transaction = layout.transaction(envelope);
        SourcePosition position = SourceBlock.position(source, layout.totalOrder(transaction), "r".equals(op));

        ChangeRecord.Builder b = switch (op) {
            case "c" -> {
                Struct oldKey = KeyChangeHeaders.oldKey(headers, keySchema);
                yield oldKey == null
                        ? ChangeRecord.builder(Op.INSERT).key(key).row(row)
                        : ChangeRecord.builder(Op.KEY_UPDATE)
                                .oldKey(oldKey)
                                .key(key)
                                .row(row);
            }
            case "u" -> {
                Struct oldKey = before == null ? null : keyOf(before, keySchema);
                yield oldKey != null && !oldKey.equals(keyOf(after, keySchema))
                        ? ChangeRecord.builder(Op.KEY_UPDATE)
                                .oldKey(oldKey)
                                .key(key)
                                .row(row)
                        : ChangeRecord.builder(Op.UPDATE).key(key).row(row);
            }
            case "d" -> ChangeRecord.builder(Op.DELETE).key(key);
            case "r" -> ChangeRecord.builder(Op.READ).key(key).row(row);
            default ->
                throw new DataException("unknown Debezium op '" + op + "' for " + SourceBlock.database(source) + "."
                        + SourceBlock.table(source));
        };
        return finish(b, layout, source, position, transaction);
    }

    /**
     * A change to a table without a key: the row image stands in for the key. Every update is a key update from the
     * old image to the new one (even when nothing changed), so the sink changes exactly one matching row and never
     * inserts one.
     */
    ChangeRecord mapKeyless(EnvelopeLayout layout, Struct envelope, Schema keySchema, Schema rowSchema) {
        String op = layout.op(envelope);
        Struct source = layout.source(envelope);
        Struct transaction = layout.transaction(envelope);
        SourcePosition position = SourceBlock.position(source, layout.totalOrder(transaction), "r".equals(op));
        Struct after = StructCoercion.toStruct(layout.after(envelope), rowSchema, "'after'");
        Struct before = StructCoercion.toStruct(layout.before(envelope), keySchema, "'before'");
        String table = SourceBlock.database(source) + "." + SourceBlock.table(source);
        ChangeRecord.Builder b = switch (op) {
            case "c" ->
                ChangeRecord.builder(Op.INSERT)
                        .key(StructCoercion.toStruct(after, keySchema, "'after'"))
                        .row(after);
            case "r" ->
                ChangeRecord.builder(Op.READ)
                        .key(StructCoercion.toStruct(after, keySchema, "'after'"))
                        .row(after);
            case "u" ->
                ChangeRecord.builder(Op.KEY_UPDATE)
                        .oldKey(required(before, op, table))
                        .key(StructCoercion.toStruct(after, keySchema, "'after'"))
                        .row(after);
            case "d" -> ChangeRecord.builder(Op.DELETE).key(required(before, op, table));
            default -> throw new DataException("unknown Debezium op '" + op + "' for " + table);
        };
        return finish(b, layout, source, position, transaction);
    }

    private static Struct required(Struct before, String op, String table) {
        if (before == null) {
            throw new DataException(
                    "a '" + op + "' event for " + table + ", a table without a primary key, has no"
                            + " 'before' image, so the row it changed cannot be found; set binlog_row_image=FULL on the source");
        }
        return before;
    }

    private ChangeRecord finish(
            ChangeRecord.Builder b, EnvelopeLayout layout, Struct source, SourcePosition position, Struct transaction) {
        return b.database(SourceBlock.database(source))
                .table(SourceBlock.table(source))
                .position(position)
                .txId(layout.txId(transaction, source))
                .safe(safeMode.isSafe(position))
                .sourceTsMs(SourceBlock.timestampMs(source))
                .build();
    }

    /** The key columns' values taken from a row image, so before and after keys compare like for like. */
    private static Struct keyOf(Struct row, Schema keySchema) {
        if (row == null) {
            throw new DataException("an update has no 'after' image");
        }
        Struct key = new Struct(keySchema);
        for (Field f : keySchema.fields()) {
            Field column = row.schema().field(f.name());
            if (column == null) {
                throw new DataException("key field '" + f.name() + "' is not a column of the row image "
                        + row.schema().name() + "; a key-changing update cannot be detected");
            }
            key.put(f, StructCoercion.coerce(row.get(column), f.schema(), "key field '" + f.name() + "'"));
        }
        return key;
    }
}
