package io.fksafe.smt;

import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.PluginVersion;
import io.fksafe.smt.DebeziumToChangeRecordConfig.NonDebeziumHandling;
import io.fksafe.smt.DebeziumToChangeRecordConfig.TruncateHandling;

/**
 * Turns Debezium MySQL/MariaDB events into fksafe change records (see docs/change-records.md): row changes, the
 * DELETE+CREATE pair of a primary-key change re-joined into one key update, transaction markers and DDL.
 * Stateless: every decision comes from the record itself and the configuration.
 *
 * <p>The record key, topic, partition, timestamp and headers (copied) stay as they are; only the value changes.
 */
public class DebeziumToChangeRecord<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {

    private static final Logger log = LoggerFactory.getLogger(DebeziumToChangeRecord.class);

    public static final String OVERVIEW_DOC = "Maps Debezium MySQL/MariaDB change events to fksafe change records"
            + " for the FK-safe sink: operation, table, key and old key, row, source position, transaction id and"
            + " the safe-mode flag.";

    private DebeziumToChangeRecordConfig config;
    private ChangeRecordSchemas schemas;
    private RowChangeMapper rows;
    private MarkerMapper markers;
    private final TransformCounters counters = new TransformCounters();

    @Override
    public void configure(Map<String, ?> props) {
        config = new DebeziumToChangeRecordConfig(props);
        SafeModePolicy safeMode = SafeModePolicy.of(config);
        schemas = new ChangeRecordSchemas(config.schemaCacheSize());
        rows = new RowChangeMapper(safeMode);
        markers = new MarkerMapper(safeMode);
    }

    @Override
    public R apply(R record) {
        Object value = record.value();
        try {
            // found once per value schema instance: what kind of event, and where its fields are
            EnvelopeLayout layout = value instanceof Struct s ? EnvelopeLayout.of(s.schema()) : null;
            return switch (layout != null ? layout.kind() : EventKind.of(value)) {
                case TOMBSTONE -> dropped(TransformCounters.Outcome.TOMBSTONE_DROPPED); // the DELETE itself carries it
                case CHANGE_RECORD -> record;
                case ROW_CHANGE -> rowChange(record, layout, (Struct) value);
                case TRANSACTION ->
                    withValue(record, ChangeRecord.markerSchema(), markers.transaction(layout, (Struct) value));
                case SCHEMA_CHANGE ->
                    withValue(record, ChangeRecord.markerSchema(), markers.schemaChange((Struct) value));
                case SCHEMALESS_DEBEZIUM ->
                    throw new DataException("the value is a Debezium event without a schema;"
                            + " the sink needs column types to apply changes FK-safely. Write and read it with schemas:"
                            + " set 'value.converter.schemas.enable=true' (JsonConverter) on the source and the sink"
                            + " connector, or use a schema-registry converter such as Avro");
                case OTHER -> nonDebezium(record);
            };
        } catch (DataException e) {
            throw new DataException(RecordDescription.of(record) + ": " + e.getMessage(), e);
        }
    }

    private R rowChange(R record, EnvelopeLayout layout, Struct value) {
        String op = layout.op(value);
        if ("t".equals(op)) {
            return truncate(record, value);
        }
        if ("d".equals(op) && KeyChangeHeaders.isKeyChangeDelete(record.headers())) {
            // the CREATE that follows carries the old key and becomes the key update
            return dropped(TransformCounters.Outcome.KEY_CHANGE_DELETE_DROPPED);
        }
        Schema rowSchema = layout.rowSchema();
        Schema keySchema = record.keySchema();
        if (keySchema == null && record.key() == null) {
            // A table without a primary key (or unique NOT NULL key): Debezium sends no key. The row image is the
            // key then, and the sink finds the row by all of its columns (docs/change-records.md).
            ChangeRecordSchemas.Envelope envelope = schemas.envelopeOf(rowSchema, rowSchema);
            return withValue(record, envelope.schema(), rows.mapKeyless(layout, value, envelope.key(), envelope.row()));
        }
        if (keySchema == null || keySchema.type() != Schema.Type.STRUCT || !(record.key() instanceof Struct)) {
            throw new DataException("the record key of a '" + op + "' event is not a Struct with a schema: set"
                    + " 'key.converter.schemas.enable=true' (JsonConverter) on the source and the sink connector");
        }
        ChangeRecordSchemas.Envelope envelope = schemas.envelopeOf(keySchema, rowSchema);
        ChangeRecord change = rows.map(layout, value, record.key(), record.headers(), envelope.key(), envelope.row());
        return withValue(record, envelope.schema(), change);
    }

    private R truncate(R record, Struct value) {
        Struct source = value.getStruct("source");
        String table = SourceBlock.database(source) + "." + SourceBlock.table(source);
        if (config.truncateHandling() == TruncateHandling.SKIP) {
            log.warn(
                    "Skipping the truncate of {} ({}, '{}=skip'): the target table keeps its rows",
                    table,
                    RecordDescription.of(record),
                    DebeziumToChangeRecordConfig.TRUNCATE_HANDLING);
            return dropped(TransformCounters.Outcome.TRUNCATE_SKIPPED);
        }
        throw new DataException("Debezium truncate event for table " + table + " at "
                + SourceBlock.position(source, 0, false)
                + ": a truncate cannot be applied row by row, and MySQL/MariaDB"
                + " write no child rows for it. Truncate the target table by hand, then set '"
                + DebeziumToChangeRecordConfig.TRUNCATE_HANDLING + "=skip' (or exclude truncates at the source with"
                + " Debezium's 'skipped.operations=t') and restart the task");
    }

    private R nonDebezium(R record) {
        if (config.nonDebeziumHandling() == NonDebeziumHandling.PASSTHROUGH) {
            counters.count(TransformCounters.Outcome.PASSED_THROUGH);
            return record;
        }
        Schema s = record.valueSchema();
        throw new DataException("the value is not a Debezium change, transaction or schema change event (value schema "
                + (s == null ? "none" : "'" + s.name() + "'") + "): route only Debezium topics to this connector, or"
                + " set '" + DebeziumToChangeRecordConfig.NON_DEBEZIUM_HANDLING + "=passthrough'");
    }

    private R dropped(TransformCounters.Outcome why) {
        counters.count(why);
        return null;
    }

    private R withValue(R record, Schema schema, ChangeRecord change) {
        counters.count(TransformCounters.Outcome.of(change.op()));
        if (change.safe()) {
            counters.markedSafe();
        }
        return record.newRecord(
                record.topic(),
                record.kafkaPartition(),
                record.keySchema(),
                record.key(),
                schema,
                change.toStruct(schema),
                record.timestamp(),
                record.headers().duplicate());
    }

    /** For the metrics subclass; lives as long as this instance, i.e. one task. */
    TransformCounters counters() {
        return counters;
    }

    @Override
    public ConfigDef config() {
        return DebeziumToChangeRecordConfig.CONFIG_DEF;
    }

    @Override
    public void close() {
        schemas = null;
        ChangeRecord.forgetWrittenRecords(); // Connect closes a task's transforms on the task's thread
    }

    @Override
    public String version() {
        return Version.VALUE;
    }

    /** The project version, from a resource Maven fills in at build time. */
    private static final class Version {
        static final String VALUE = PluginVersion.of(DebeziumToChangeRecord.class);
    }
}
