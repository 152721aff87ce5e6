package io.fksafe.smt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import io.fksafe.change.ChangeRecord;

/**
 * The transform finds the fields of each value and source schema once per schema instance. Schemas with the same
 * names but other fields, or fields in another order (two connectors, a connector upgrade, a table's schema change),
 * must each be read through their own fields, however they interleave.
 */
class EnvelopeLayoutCacheTest {

    private static final DebeziumToChangeRecord<SinkRecord> SMT = new DebeziumToChangeRecord<>();

    static {
        SMT.configure(Map.of());
    }

    /** MySqlEvents' schemas with every struct's fields in reverse order, under the same names. */
    private static Schema reversed(Schema s) {
        SchemaBuilder b = SchemaBuilder.struct().name(s.name()).version(s.version());
        if (s.isOptional()) {
            b.optional();
        }
        List<Field> fields = s.fields();
        for (int i = fields.size() - 1; i >= 0; i--) {
            Field f = fields.get(i);
            b.field(f.name(), f.schema().type() == Schema.Type.STRUCT ? reversed(f.schema()) : f.schema());
        }
        return b.build();
    }

    private static final Schema REVERSED = reversed(MySqlEvents.ENVELOPE);

    /** {@code s} copied into {@code schema}, nested structs too, matching fields by name. */
    private static Struct copy(Struct s, Schema schema) {
        if (s == null) {
            return null;
        }
        Struct out = new Struct(schema);
        for (Field f : schema.fields()) {
            Object v = s.getWithoutDefault(f.name());
            out.put(f, v instanceof Struct nested ? copy(nested, f.schema()) : v);
        }
        return out;
    }

    private static ChangeRecord apply(Struct value) {
        SinkRecord in = new SinkRecord(
                "t",
                0,
                MySqlEvents.KEY,
                MySqlEvents.key(((Struct) value.get("after")).getInt32("id")),
                value.schema(),
                value,
                1L);
        return ChangeRecord.fromStruct((Struct) SMT.apply(in).value());
    }

    private static Struct event(int id, String gtid, String file, long pos, String txId, long totalOrder) {
        return MySqlEvents.envelope(
                "c",
                null,
                MySqlEvents.row(id, id + "@x.org"),
                MySqlEvents.source(gtid, file, pos, 0, "false"),
                txId == null ? null : MySqlEvents.transaction(txId, totalOrder));
    }

    @Test
    void sameNamesOtherFieldOrderAlternatingAreEachReadThroughTheirOwnFields() {
        for (int round = 0; round < 3; round++) {
            ChangeRecord a = apply(event(1, "0-1-5", "mysql-bin.000001", 100, "0-1-5", 2));
            ChangeRecord b = apply(copy(event(2, "0-1-9", "mysql-bin.000002", 900, "0-1-9", 7), REVERSED));
            assertEquals(
                    "gtid=0-1-5;file=mysql-bin.000001;pos=100;event=2;row=0",
                    a.position().format());
            assertEquals(
                    "gtid=0-1-9;file=mysql-bin.000002;pos=900;event=7;row=0",
                    b.position().format());
            assertEquals("0-1-5", a.txId());
            assertEquals("0-1-9", b.txId());
            assertEquals(1, a.row().getInt32("id"));
            assertEquals("2@x.org", b.row().getString("email"));
            assertEquals("inventory.customers", b.database() + "." + b.table());
        }
    }

    @Test
    void aTransactionBlockAppearingAndGoingIsSeenPerSchema() {
        Schema noTx = SchemaBuilder.struct()
                .name(MySqlEvents.ENVELOPE.name())
                .version(1)
                .field("before", MySqlEvents.ROW)
                .field("after", MySqlEvents.ROW)
                .field("source", MySqlEvents.SOURCE)
                .field("op", Schema.STRING_SCHEMA)
                .build();
        for (int round = 0; round < 3; round++) {
            ChangeRecord with = apply(event(1, "0-1-5", "mysql-bin.000001", 100, "tx-5", 3));
            ChangeRecord without = apply(copy(event(1, "0-1-6", "mysql-bin.000001", 200, null, 0), noTx));
            assertEquals("tx-5", with.txId());
            assertEquals(3, with.position().event());
            assertEquals("0-1-6", without.txId(), "no transaction block: the GTID names the transaction");
            assertEquals(0, without.position().event());
        }
    }

    @Test
    void aSourceFieldsDefaultIsNotTakenForANull() {
        // Struct.get(Field) answers a null with the default; the source block is read as written
        Schema snapshotDefaultTrue =
                SchemaBuilder.string().optional().defaultValue("true").build();
        Schema source = SchemaBuilder.struct()
                .name(MySqlEvents.SOURCE.name())
                .field("db", Schema.STRING_SCHEMA)
                .field("table", Schema.OPTIONAL_STRING_SCHEMA)
                .field("snapshot", snapshotDefaultTrue)
                .field(
                        "gtid",
                        SchemaBuilder.string().optional().defaultValue("0-1-1").build())
                .field("file", Schema.STRING_SCHEMA)
                .field("pos", Schema.INT64_SCHEMA)
                .field("row", Schema.INT32_SCHEMA)
                .build();
        Schema envelope = SchemaBuilder.struct()
                .name(MySqlEvents.ENVELOPE.name())
                .field("before", MySqlEvents.ROW)
                .field("after", MySqlEvents.ROW)
                .field("source", source)
                .field("op", Schema.STRING_SCHEMA)
                .build();
        Struct value = new Struct(envelope)
                .put("op", "c")
                .put("after", MySqlEvents.row(1, "a@x.org"))
                .put(
                        "source",
                        new Struct(source)
                                .put("db", "inventory")
                                .put("table", "customers")
                                .put("file", "mysql-bin.000003")
                                .put("pos", 4L)
                                .put("row", 0));
        for (int round = 0; round < 2; round++) {
            ChangeRecord c = apply(value);
            assertEquals("file=mysql-bin.000003;pos=4;row=0", c.position().format());
            assertEquals(null, c.txId());
        }
    }

    @Test
    void snapshotMarkersAreComparedWithoutCase() {
        for (String streamed : new String[] {"false", "FALSE", " False ", "", "  "}) {
            Struct v = MySqlEvents.envelope(
                    "c",
                    null,
                    MySqlEvents.row(1, "a@x.org"),
                    MySqlEvents.source(null, "mysql-bin.000001", 4, 0, streamed),
                    null);
            assertEquals(false, apply(v).position().snapshot(), "'" + streamed + "'");
        }
        for (String snapshot : new String[] {"true", "LAST", "falsey", "fals", "fal\u017fe", "incremental"}) {
            Struct v = MySqlEvents.envelope(
                    "c",
                    null,
                    MySqlEvents.row(1, "a@x.org"),
                    MySqlEvents.source(null, "mysql-bin.000001", 4, 0, snapshot),
                    null);
            assertEquals(true, apply(v).position().snapshot(), "'" + snapshot + "'");
        }
    }
}
