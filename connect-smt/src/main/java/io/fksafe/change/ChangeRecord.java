package io.fksafe.change;

import java.util.Objects;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * One change the sink can apply without guessing: what happened, to which row of which source table, where in the
 * source it happened, in which upstream transaction, and whether it may be a replay of something already applied.
 *
 * <p>On the wire it is the record value: a {@link Struct} whose schema is named {@value #SCHEMA_NAME} (see
 * {@link #envelopeSchema}); {@code docs/change-records.md} documents every field.
 */
public final class ChangeRecord {

    public static final String SCHEMA_NAME = "io.fksafe.change.ChangeRecord";
    public static final int SCHEMA_VERSION = 1;

    public static final String OP = "op";
    public static final String DATABASE = "db";
    public static final String TABLE = "table";
    public static final String KEY = "key";
    public static final String OLD_KEY = "old_key";
    public static final String ROW = "row";
    public static final String POSITION = "position";
    public static final String TX_ID = "tx_id";
    public static final String TX_EVENT_COUNT = "tx_event_count";
    public static final String SAFE = "safe";
    public static final String DDL = "ddl";
    /** When the change was made on the source (Debezium's source.ts_ms): the start of replication lag. */
    public static final String SOURCE_TS_MS = "source_ts_ms";

    private final Op op;
    private final String database;
    private final String table;
    private final Struct key;
    private final Struct oldKey;
    private final Struct row;
    private final SourcePosition position;
    private final String txId;
    private final Long txEventCount;
    private final boolean safe;
    private final String ddl;
    private final Long sourceTsMs;

    private ChangeRecord(Builder b) {
        this.op = Objects.requireNonNull(b.op, "op");
        this.database = b.database;
        this.table = b.table;
        this.key = b.key;
        this.oldKey = b.oldKey;
        this.row = b.row;
        this.position = b.position;
        this.txId = b.txId;
        this.txEventCount = b.txEventCount;
        this.safe = b.safe;
        this.ddl = b.ddl;
        this.sourceTsMs = b.sourceTsMs;
        validate();
    }

    private void validate() {
        if (op.isRowChange() && (table == null || database == null)) {
            throw new DataException("a '" + op.wireName() + "' change record needs 'db' and 'table'");
        }
        if (op.isRowChange() && key == null) {
            throw new DataException("a '" + op.wireName() + "' change record for " + database + "." + table
                    + " has no 'key': the source table needs a primary key (or Debezium's message.key.columns)");
        }
        if (op != Op.DELETE && op.isRowChange() && row == null) {
            throw new DataException(
                    "a '" + op.wireName() + "' change record for " + database + "." + table + " has no 'row' image");
        }
        if (op == Op.KEY_UPDATE && oldKey == null) {
            throw new DataException("a 'key_update' change record for " + database + "." + table + " has no 'old_key'");
        }
        if (op == Op.DDL && ddl == null) {
            throw new DataException("a 'ddl' change record has no 'ddl' statement");
        }
    }

    public Op op() {
        return op;
    }

    public String database() {
        return database;
    }

    public String table() {
        return table;
    }
    /** The primary key after the change (for a delete: the key of the deleted row). */
    public Struct key() {
        return key;
    }
    /** The primary key before a {@link Op#KEY_UPDATE}; null otherwise. */
    public Struct oldKey() {
        return oldKey;
    }
    /** The full row image after the change; null for deletes and markers. */
    public Struct row() {
        return row;
    }

    public SourcePosition position() {
        return position;
    }

    public String txId() {
        return txId;
    }

    public Long txEventCount() {
        return txEventCount;
    }
    /** The SMT says this change may already be in the target (forced, or inside a configured replay window). */
    public boolean safe() {
        return safe;
    }

    public String ddl() {
        return ddl;
    }
    /** Source commit time in epoch ms; null when the producer did not say. */
    public Long sourceTsMs() {
        return sourceTsMs;
    }

    public static Builder builder(Op op) {
        return new Builder(op);
    }

    public Builder toBuilder() {
        return new Builder(op)
                .database(database)
                .table(table)
                .key(key)
                .oldKey(oldKey)
                .row(row)
                .position(position)
                .txId(txId)
                .txEventCount(txEventCount)
                .safe(safe)
                .ddl(ddl)
                .sourceTsMs(sourceTsMs);
    }

    /**
     * The value schema for change records of one table. Key and row schemas vary per table, so callers cache the
     * result (the SMT keeps an LRU keyed by the pair).
     */
    public static Schema envelopeSchema(Schema keySchema, Schema rowSchema) {
        SchemaBuilder b = SchemaBuilder.struct()
                .name(SCHEMA_NAME)
                .version(SCHEMA_VERSION)
                .field(OP, Schema.STRING_SCHEMA)
                .field(DATABASE, Schema.OPTIONAL_STRING_SCHEMA)
                .field(TABLE, Schema.OPTIONAL_STRING_SCHEMA);
        if (keySchema != null) {
            b.field(KEY, keySchema); // every row change has a key; keeping its schema avoids a copy per record
            b.field(OLD_KEY, EnvelopeSchemas.optional(keySchema));
        }
        if (rowSchema != null) {
            b.field(ROW, EnvelopeSchemas.optional(rowSchema));
        }
        return b.field(POSITION, Schema.OPTIONAL_STRING_SCHEMA)
                .field(TX_ID, Schema.OPTIONAL_STRING_SCHEMA)
                .field(TX_EVENT_COUNT, Schema.OPTIONAL_INT64_SCHEMA)
                .field(SAFE, Schema.BOOLEAN_SCHEMA)
                .field(DDL, Schema.OPTIONAL_STRING_SCHEMA)
                .field(SOURCE_TS_MS, Schema.OPTIONAL_INT64_SCHEMA)
                .build();
    }

    /** The schema for records without a row: transaction markers and DDL. */
    public static Schema markerSchema() {
        return MARKER_SCHEMA;
    }

    private static final Schema MARKER_SCHEMA = envelopeSchema(null, null);

    public static boolean isChangeRecordSchema(Schema schema) {
        return schema != null && schema.type() == Schema.Type.STRUCT && SCHEMA_NAME.equals(schema.name());
    }

    /** Writes this record into a Struct of {@code schema}, which must come from {@link #envelopeSchema}. */
    public Struct toStruct(Schema schema) {
        // per record: no lookup by name for the layout envelopeSchema builds
        EnvelopeFields fields =
                schema != null && schema.type() == Schema.Type.STRUCT ? EnvelopeFields.of(schema) : null;
        if (fields != null) {
            return fields.write(this);
        }
        // a new Struct's fields are null already, and each put validates its value, so nulls are skipped
        Struct s = new Struct(schema).put(OP, op.wireName()).put(SAFE, safe);
        putNonNull(s, DATABASE, database);
        putNonNull(s, TABLE, table);
        putNonNull(s, POSITION, position == null ? null : position.format());
        putNonNull(s, TX_ID, txId);
        putNonNull(s, TX_EVENT_COUNT, txEventCount);
        putNonNull(s, DDL, ddl);
        putNonNull(s, SOURCE_TS_MS, sourceTsMs);
        putIfPresent(s, KEY, key);
        putIfPresent(s, OLD_KEY, oldKey);
        putIfPresent(s, ROW, row);
        return s;
    }

    /** The schema this record needs: per table for row changes, the shared marker schema otherwise. */
    public Schema schema() {
        if (key == null && row == null && oldKey == null) {
            return MARKER_SCHEMA;
        }
        Schema keySchema = key != null ? key.schema() : oldKey.schema();
        return envelopeSchema(keySchema, row == null ? null : row.schema());
    }

    public Struct toStruct() {
        return toStruct(schema());
    }

    /**
     * Reads a change record from a record value; the message names what is wrong so a user can find the producer. A
     * Struct the transform wrote on this thread, and that still holds every value it put in, gives back the very record
     * the transform wrote, with no decoding.
     */
    public static ChangeRecord fromStruct(Struct s) {
        if (s == null || !isChangeRecordSchema(s.schema())) {
            throw new DataException("not a change record: expected a Struct with schema '" + SCHEMA_NAME
                    + "' (add the io.fksafe.smt.DebeziumToChangeRecord transform to the sink connector)");
        }
        EnvelopeFields fields = EnvelopeFields.of(s.schema());
        if (fields != null) {
            ChangeRecord written = HandOver.take(s, fields); // written into s by the transform on this thread
            return written != null ? written : fields.read(s).build();
        }
        Builder b = new Builder(Op.fromWireName(s.getString(OP)))
                .database(s.getString(DATABASE))
                .table(s.getString(TABLE))
                .key(optionalStruct(s, KEY))
                .oldKey(optionalStruct(s, OLD_KEY))
                .row(optionalStruct(s, ROW))
                .position(SourcePosition.parse(s.getString(POSITION)))
                .txId(s.getString(TX_ID))
                .txEventCount(s.getInt64(TX_EVENT_COUNT))
                .safe(Boolean.TRUE.equals(s.getBoolean(SAFE)))
                .ddl(s.getString(DDL))
                .sourceTsMs(sourceTsMs(s));
        return b.build();
    }

    /**
     * Forgets the records this thread's transforms wrote and no sink took back (see {@link #fromStruct}): for a task's
     * stop, so that a pooled thread does not keep them.
     */
    public static void forgetWrittenRecords() {
        HandOver.clear();
    }

    /** Absent in records of older versions of the transform. */
    private static Long sourceTsMs(Struct s) {
        Field f = s.schema().field(SOURCE_TS_MS);
        return f == null ? null : (Long) s.get(f);
    }

    private static Struct optionalStruct(Struct s, String field) {
        Field f = s.schema().field(field);
        return f == null ? null : s.getStruct(field);
    }

    private static void putNonNull(Struct s, String field, Object value) {
        if (value != null) {
            s.put(field, value);
        }
    }

    private static void putIfPresent(Struct s, String field, Struct value) {
        if (value != null) {
            Field f = s.schema().field(field);
            if (f == null) {
                throw new DataException("envelope schema has no '" + field + "' field");
            }
            s.put(field, EnvelopeSchemas.underSchema(value, f.schema()));
        }
    }

    @Override
    public String toString() {
        return op.wireName() + " " + (table == null ? "" : database + "." + table + " ")
                + (key == null ? "" : "key=" + key + " ") + (position == null ? "" : "@" + position.format());
    }

    public static final class Builder {
        private final Op op;
        private String database;
        private String table;
        private Struct key;
        private Struct oldKey;
        private Struct row;
        private SourcePosition position;
        private String txId;
        private Long txEventCount;
        private boolean safe;
        private String ddl;
        private Long sourceTsMs;

        private Builder(Op op) {
            this.op = op;
        }

        public Builder database(String v) {
            this.database = v;
            return this;
        }

        public Builder table(String v) {
            this.table = v;
            return this;
        }

        public Builder key(Struct v) {
            this.key = v;
            return this;
        }

        public Builder oldKey(Struct v) {
            this.oldKey = v;
            return this;
        }

        public Builder row(Struct v) {
            this.row = v;
            return this;
        }

        public Builder position(SourcePosition v) {
            this.position = v;
            return this;
        }

        public Builder txId(String v) {
            this.txId = v;
            return this;
        }

        public Builder txEventCount(Long v) {
            this.txEventCount = v;
            return this;
        }

        public Builder safe(boolean v) {
            this.safe = v;
            return this;
        }

        public Builder ddl(String v) {
            this.ddl = v;
            return this;
        }

        public Builder sourceTsMs(Long v) {
            this.sourceTsMs = v;
            return this;
        }

        public ChangeRecord build() {
            return new ChangeRecord(this);
        }
    }
}
