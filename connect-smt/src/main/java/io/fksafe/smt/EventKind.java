package io.fksafe.smt;

import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

import io.fksafe.change.ChangeRecord;

/** What a record value is, judged by its schema name and fields (JSON and Avro converters both keep the names). */
enum EventKind {
    /** No value: Debezium's tombstone after a delete. */
    TOMBSTONE,
    /** Already a change record (the SMT ran before, e.g. on the source side). */
    CHANGE_RECORD,
    /** A row change envelope: before/after/source/op. */
    ROW_CHANGE,
    /** A transaction BEGIN/END event (provide.transaction.metadata=true). */
    TRANSACTION,
    /** A schema change event (include.schema.changes=true). */
    SCHEMA_CHANGE,
    /** A Debezium event read without schemas: FK-safe apply needs column types, so it is rejected. */
    SCHEMALESS_DEBEZIUM,
    /** Anything else. */
    OTHER;

    static EventKind of(Object value) {
        if (value == null) {
            return TOMBSTONE;
        }
        if (value instanceof Struct s) {
            return ofSchema(s.schema());
        }
        if (value instanceof Map<?, ?> m && looksLikeDebezium(m)) {
            return SCHEMALESS_DEBEZIUM;
        }
        return OTHER;
    }

    static EventKind ofSchema(Schema s) {
        String name = s.name() == null ? "" : s.name();
        if (ChangeRecord.isChangeRecordSchema(s)) {
            return CHANGE_RECORD;
        }
        if (name.endsWith(".Envelope") && has(s, "op") && has(s, "source")) {
            return ROW_CHANGE;
        }
        if (name.endsWith("TransactionMetadataValue") || (has(s, "status") && has(s, "id") && has(s, "event_count"))) {
            return TRANSACTION;
        }
        if (name.endsWith("SchemaChangeValue") || (has(s, "ddl") && has(s, "databaseName") && has(s, "source"))) {
            return SCHEMA_CHANGE;
        }
        return OTHER;
    }

    private static boolean has(Schema s, String field) {
        return s.field(field) != null;
    }

    /** Schemaless shapes: the payload itself, or schema+payload read with schemas.enable=false. */
    private static boolean looksLikeDebezium(Map<?, ?> m) {
        if (m.containsKey("schema") && m.containsKey("payload")) {
            return m.get("payload") instanceof Map<?, ?> p && looksLikeDebezium(p);
        }
        return (m.containsKey("op") && m.containsKey("source"))
                || (m.containsKey("status") && m.containsKey("id") && m.containsKey("event_count"))
                || (m.containsKey("ddl") && m.containsKey("databaseName"));
    }
}
