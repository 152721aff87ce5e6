package io.fksafe.smt;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * What the transform reads from one Debezium value schema, found once per schema instance: converters hand out one
 * Schema instance per table schema version, and every read by name is a hash lookup in the schema. A field is read
 * through its {@link Field} only where that gives exactly what the by-name getter gave (the field is there, of the
 * type the getter checks, and without a default, which {@code Struct.get(Field)} would substitute for a null); every
 * other case keeps the by-name read, with its result or error.
 */
final class EnvelopeLayout {

    private static final SchemaMemo<EnvelopeLayout> LAYOUTS = new SchemaMemo<>(EnvelopeLayout::new);

    private final EventKind kind;
    private final Field op;
    private final Field source;
    private final Field before;
    private final Field after;
    private final Field afterColumn;
    private final boolean hasTransaction;
    private final Field transaction;
    private final Schema transactionSchema;
    private final Field totalOrder;
    private final Field txId;
    // transaction events (TransactionMetadataValue)
    private final Field status;
    private final Field markerId;
    private final Field eventCount;
    private final boolean hasMarkerTsMs;
    private final Field markerTsMs;

    private EnvelopeLayout(Schema s) {
        this.kind = EventKind.ofSchema(s);
        boolean row = kind == EventKind.ROW_CHANGE;
        this.op = row ? readable(s.field("op"), Schema.Type.STRING) : null;
        this.source = row ? readable(s.field("source"), Schema.Type.STRUCT) : null;
        this.before = row ? readable(s.field("before"), Schema.Type.STRUCT) : null;
        this.afterColumn = row ? s.field("after") : null;
        this.after = readable(afterColumn, Schema.Type.STRUCT);
        Field tx = row ? s.field("transaction") : null;
        this.hasTransaction = tx != null;
        this.transaction = readable(tx, Schema.Type.STRUCT);
        this.transactionSchema = tx == null ? null : tx.schema();
        Schema txs = tx == null || tx.schema().type() != Schema.Type.STRUCT ? null : tx.schema();
        this.totalOrder = txs == null ? null : txs.field("total_order");
        Field id = txs == null ? null : txs.field("id");
        this.txId = readable(id, Schema.Type.STRING);
        boolean marker = kind == EventKind.TRANSACTION;
        this.status = marker ? readable(s.field("status"), Schema.Type.STRING) : null;
        this.markerId = marker ? readable(s.field("id"), Schema.Type.STRING) : null;
        this.eventCount = marker ? readable(s.field("event_count"), Schema.Type.INT64) : null;
        this.markerTsMs = marker ? s.field("ts_ms") : null;
        this.hasMarkerTsMs = markerTsMs != null;
    }

    /** The layout of {@code schema}. */
    static EnvelopeLayout of(Schema schema) {
        return LAYOUTS.get(schema);
    }

    /** The field when its getter's value is {@code Struct.get(field)}; null when the read must go by name. */
    private static Field readable(Field f, Schema.Type getterType) {
        return f != null && f.schema().type() == getterType && f.schema().defaultValue() == null ? f : null;
    }

    EventKind kind() {
        return kind;
    }

    /** {@code envelope.getString("op")}. */
    String op(Struct envelope) {
        return op != null ? (String) envelope.get(op) : envelope.getString("op");
    }

    /** {@code envelope.getStruct("source")}. */
    Struct source(Struct envelope) {
        return source != null ? (Struct) envelope.get(source) : envelope.getStruct("source");
    }

    /** {@code envelope.getStruct("before")}. */
    Struct before(Struct envelope) {
        return before != null ? (Struct) envelope.get(before) : envelope.getStruct("before");
    }

    /** {@code envelope.getStruct("after")}. */
    Struct after(Struct envelope) {
        return after != null ? (Struct) envelope.get(after) : envelope.getStruct("after");
    }

    /** The schema of the row images ({@code schema.field("after").schema()}, failing alike without one). */
    Schema rowSchema() {
        return afterColumn.schema();
    }

    /** The transaction block (provide.transaction.metadata=true); null when the schema has none. */
    Struct transaction(Struct envelope) {
        if (!hasTransaction) {
            return null;
        }
        return transaction != null ? (Struct) envelope.get(transaction) : envelope.getStruct("transaction");
    }

    /** Debezium's transaction.total_order (with its default, as {@code get} reads it); 0 when absent. */
    long totalOrder(Struct transaction) {
        Object v;
        if (transaction == null) {
            v = null;
        } else if (transaction.schema() == transactionSchema) {
            v = totalOrder == null ? null : transaction.get(totalOrder);
        } else {
            v = transaction.schema().field("total_order") == null ? null : transaction.get("total_order");
        }
        return v instanceof Number n ? n.longValue() : 0L;
    }

    /** The transaction's id when it has one that is not null, else the source block's GTID. */
    String txId(Struct transaction, Struct source) {
        if (transaction == null) {
            return SourceBlock.gtid(source);
        }
        if (transaction.schema() == transactionSchema && txId != null) {
            String id = (String) transaction.get(txId);
            return id != null ? id : SourceBlock.gtid(source);
        }
        return transaction.get("id") != null ? transaction.getString("id") : SourceBlock.gtid(source);
    }

    /** A transaction event's {@code getString("status")}. */
    String status(Struct marker) {
        return status != null ? (String) marker.get(status) : marker.getString("status");
    }

    /** A transaction event's {@code getString("id")}. */
    String markerId(Struct marker) {
        return markerId != null ? (String) marker.get(markerId) : marker.getString("id");
    }

    /** A transaction event's {@code getInt64("event_count")}. */
    Long eventCount(Struct marker) {
        return eventCount != null ? (Long) marker.get(eventCount) : marker.getInt64("event_count");
    }

    /** A transaction event's ts_ms (with its default, as {@code get} reads it); null when the schema has none. */
    Object markerTsMs(Struct marker) {
        if (kind != EventKind.TRANSACTION) {
            return marker.schema().field("ts_ms") == null ? null : marker.get("ts_ms");
        }
        return hasMarkerTsMs ? marker.get(markerTsMs) : null;
    }
}
