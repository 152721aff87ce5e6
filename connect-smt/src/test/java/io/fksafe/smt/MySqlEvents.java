package io.fksafe.smt;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Debezium MySQL connector events built as Structs, with the schema names and source fields the connector
 * documents (io.debezium.connector.mysql.Source; GTID {@code uuid:n}; file/pos/row; transaction block).
 */
final class MySqlEvents {

    static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    static final Schema KEY = SchemaBuilder.struct()
            .name("mysql1.inventory.customers.Key")
            .field("id", Schema.INT32_SCHEMA)
            .build();
    static final Schema ROW = SchemaBuilder.struct()
            .name("mysql1.inventory.customers.Value")
            .optional()
            .field("id", Schema.INT32_SCHEMA)
            .field("email", Schema.STRING_SCHEMA)
            .field("first_name", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    static final Schema SOURCE = SchemaBuilder.struct()
            .name("io.debezium.connector.mysql.Source")
            .field("version", Schema.STRING_SCHEMA)
            .field("connector", Schema.STRING_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field(
                    "snapshot",
                    SchemaBuilder.string()
                            .optional()
                            .name("io.debezium.data.Enum")
                            .version(1)
                            .parameter(
                                    "allowed",
                                    "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental")
                            .defaultValue("false")
                            .build())
            .field("db", Schema.STRING_SCHEMA)
            .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
            .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
            .field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA)
            .field("table", Schema.OPTIONAL_STRING_SCHEMA)
            .field("server_id", Schema.INT64_SCHEMA)
            .field("gtid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("file", Schema.STRING_SCHEMA)
            .field("pos", Schema.INT64_SCHEMA)
            .field("row", Schema.INT32_SCHEMA)
            .field("thread", Schema.OPTIONAL_INT64_SCHEMA)
            .field("query", Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    static final Schema TRANSACTION = SchemaBuilder.struct()
            .name("event.block")
            .version(1)
            .optional()
            .field("id", Schema.STRING_SCHEMA)
            .field("total_order", Schema.INT64_SCHEMA)
            .field("data_collection_order", Schema.INT64_SCHEMA)
            .build();
    static final Schema ENVELOPE = SchemaBuilder.struct()
            .name("mysql1.inventory.customers.Envelope")
            .version(2)
            .field("before", ROW)
            .field("after", ROW)
            .field("source", SOURCE)
            .field("transaction", TRANSACTION)
            .field("op", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    private MySqlEvents() {}

    static Struct key(int id) {
        return new Struct(KEY).put("id", id);
    }

    static Struct row(int id, String email) {
        return new Struct(ROW).put("id", id).put("email", email).put("first_name", "Anne");
    }

    static Struct source(String gtid, String file, long pos, int row, String snapshot) {
        return new Struct(SOURCE)
                .put("version", "3.5.0.Final")
                .put("connector", "mysql")
                .put("name", "mysql1")
                .put("ts_ms", 1_700_000_000_000L)
                .put("snapshot", snapshot)
                .put("db", "inventory")
                .put("table", "customers")
                .put("server_id", 223344L)
                .put("gtid", gtid)
                .put("file", file)
                .put("pos", pos)
                .put("row", row);
    }

    static Struct transaction(String id, long totalOrder) {
        return new Struct(TRANSACTION)
                .put("id", id)
                .put("total_order", totalOrder)
                .put("data_collection_order", totalOrder);
    }

    static Struct envelope(String op, Struct before, Struct after, Struct source, Struct transaction) {
        return new Struct(ENVELOPE)
                .put("op", op)
                .put("before", before)
                .put("after", after)
                .put("source", source)
                .put("transaction", transaction)
                .put("ts_ms", 1_700_000_000_100L);
    }

    static SinkRecord record(Struct key, Struct value, ConnectHeaders headers) {
        return new SinkRecord(
                "mysql1.inventory",
                0,
                KEY,
                key,
                value == null ? null : value.schema(),
                value,
                42L,
                1_700_000_000_200L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                headers);
    }

    static SinkRecord record(Struct key, Struct value) {
        return record(key, value, new ConnectHeaders());
    }
}
