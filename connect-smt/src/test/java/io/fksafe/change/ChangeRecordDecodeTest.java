package io.fksafe.change;

import static io.fksafe.change.OneTable.KEY;
import static io.fksafe.change.OneTable.ROW;
import static io.fksafe.change.OneTable.key;
import static io.fksafe.change.OneTable.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/** Decoding reads the fields of known schemas by field, others by name: both must give what was encoded. */
class ChangeRecordDecodeTest {

    private static List<Object> values(Struct s) {
        return s == null ? null : s.schema().fields().stream().map(s::get).toList();
    }

    static void assertSameRecord(ChangeRecord expected, ChangeRecord actual) {
        assertEquals(expected.op(), actual.op());
        assertEquals(expected.database(), actual.database());
        assertEquals(expected.table(), actual.table());
        assertEquals(expected.key(), actual.key());
        assertEquals(
                values(expected.oldKey()), values(actual.oldKey())); // the envelope holds it under an optional schema
        assertEquals(expected.row(), actual.row());
        assertEquals(expected.position(), actual.position());
        assertEquals(expected.txId(), actual.txId());
        assertEquals(expected.txEventCount(), actual.txEventCount());
        assertEquals(expected.safe(), actual.safe());
        assertEquals(expected.ddl(), actual.ddl());
        assertEquals(expected.sourceTsMs(), actual.sourceTsMs());
    }

    /** Read from the Struct, not handed over: what this thread's encoding left for the sink is forgotten first. */
    static ChangeRecord decoded(Struct s) {
        ChangeRecord.forgetWrittenRecords();
        return ChangeRecord.fromStruct(s);
    }

    @Test
    void everyKindRoundTrips_manyTimesOverManySchemas() {
        SourcePosition at = new SourcePosition("0-1-7", "mysql-bin.000002", 300, 2, 0, false);
        List<ChangeRecord> records = List.of(
                ChangeRecord.builder(Op.INSERT)
                        .database("src")
                        .table("t")
                        .key(key(1))
                        .row(row(1, "a"))
                        .position(at)
                        .txId("0-1-7")
                        .sourceTsMs(1700000000000L)
                        .build(),
                ChangeRecord.builder(Op.KEY_UPDATE)
                        .database("src")
                        .table("t")
                        .oldKey(key(1))
                        .key(key(2))
                        .row(row(2, null))
                        .position(at)
                        .safe(true)
                        .build(),
                ChangeRecord.builder(Op.DELETE)
                        .database("src")
                        .table("t")
                        .key(key(2))
                        .position(at)
                        .build(),
                ChangeRecord.builder(Op.TX_BEGIN).txId("0-1-7").build(),
                ChangeRecord.builder(Op.TX_END)
                        .txId("0-1-7")
                        .txEventCount(3L)
                        .sourceTsMs(5L)
                        .build(),
                ChangeRecord.builder(Op.DDL)
                        .database("src")
                        .table("t")
                        .ddl("ALTER TABLE t ADD c INT")
                        .position(at)
                        .build());
        for (int round = 0; round < 40; round++) { // more schemas than the decoder remembers
            Schema rowSchema = SchemaBuilder.struct()
                    .name("src.t" + round + ".Value")
                    .optional()
                    .field("id", Schema.INT64_SCHEMA)
                    .field("name", Schema.OPTIONAL_STRING_SCHEMA)
                    .build();
            ChangeRecord other = ChangeRecord.builder(Op.UPDATE)
                    .database("src")
                    .table("t" + round)
                    .key(key(round))
                    .row(new Struct(rowSchema).put("id", (long) round))
                    .position(at)
                    .build();
            assertSameRecord(other, decoded(other.toStruct()));
            for (ChangeRecord r : records) {
                assertSameRecord(r, decoded(r.toStruct()));
            }
        }
    }

    /** The envelope of an older transform, without source_ts_ms. */
    @Test
    void olderLayoutWithoutSourceTimestamp() {
        Schema old = SchemaBuilder.struct()
                .name(ChangeRecord.SCHEMA_NAME)
                .version(1)
                .field("op", Schema.STRING_SCHEMA)
                .field("db", Schema.OPTIONAL_STRING_SCHEMA)
                .field("table", Schema.OPTIONAL_STRING_SCHEMA)
                .field("key", KEY)
                .field("row", ROW)
                .field("position", Schema.OPTIONAL_STRING_SCHEMA)
                .field("tx_id", Schema.OPTIONAL_STRING_SCHEMA)
                .field("tx_event_count", Schema.OPTIONAL_INT64_SCHEMA)
                .field("safe", Schema.BOOLEAN_SCHEMA)
                .field("ddl", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Struct s = new Struct(old)
                .put("op", "insert")
                .put("db", "src")
                .put("table", "t")
                .put("key", key(3))
                .put("row", row(3, "c"))
                .put("position", "file=mysql-bin.000001;pos=9;row=0")
                .put("safe", false);
        ChangeRecord c = ChangeRecord.fromStruct(s);
        assertEquals(Op.INSERT, c.op());
        assertEquals(row(3, "c"), c.row());
        assertNull(c.oldKey());
        assertNull(c.sourceTsMs());
        assertEquals(9, c.position().pos());
    }

    /** Read by field, a null would become the default; read by name it stays null, as it always did. */
    @Test
    void aFieldWithADefaultIsReadByName() {
        Schema withDefault = SchemaBuilder.struct()
                .name(ChangeRecord.SCHEMA_NAME)
                .version(1)
                .field("op", Schema.STRING_SCHEMA)
                .field("db", Schema.OPTIONAL_STRING_SCHEMA)
                .field("table", Schema.OPTIONAL_STRING_SCHEMA)
                .field("position", Schema.OPTIONAL_STRING_SCHEMA)
                .field(
                        "tx_id",
                        SchemaBuilder.string().optional().defaultValue("dflt").build())
                .field("tx_event_count", Schema.OPTIONAL_INT64_SCHEMA)
                .field("safe", Schema.BOOLEAN_SCHEMA)
                .field("ddl", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        ChangeRecord c = ChangeRecord.fromStruct(
                new Struct(withDefault).put("op", "tx_begin").put("safe", true));
        assertEquals(Op.TX_BEGIN, c.op());
        assertNull(c.txId());
        assertTrue(c.safe());
    }

    @Test
    void aFieldOfAnotherTypeIsRefusedAsBefore() {
        Schema wrong = SchemaBuilder.struct()
                .name(ChangeRecord.SCHEMA_NAME)
                .version(1)
                .field("op", Schema.STRING_SCHEMA)
                .field("db", Schema.OPTIONAL_STRING_SCHEMA)
                .field("table", Schema.OPTIONAL_STRING_SCHEMA)
                .field("position", Schema.OPTIONAL_STRING_SCHEMA)
                .field("tx_id", Schema.OPTIONAL_INT64_SCHEMA)
                .field("tx_event_count", Schema.OPTIONAL_INT64_SCHEMA)
                .field("safe", Schema.BOOLEAN_SCHEMA)
                .field("ddl", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Struct s = new Struct(wrong).put("op", "tx_begin").put("tx_id", 5L).put("safe", false);
        DataException e = assertThrows(DataException.class, () -> ChangeRecord.fromStruct(s));
        assertTrue(e.getMessage().contains("tx_id"), e.getMessage());
        Schema missing = SchemaBuilder.struct()
                .name(ChangeRecord.SCHEMA_NAME)
                .field("op", Schema.STRING_SCHEMA)
                .build();
        assertThrows(DataException.class, () -> ChangeRecord.fromStruct(new Struct(missing).put("op", "tx_begin")));
    }
}
