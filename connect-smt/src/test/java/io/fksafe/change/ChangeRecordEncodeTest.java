package io.fksafe.change;

import static io.fksafe.change.OneTable.KEY;
import static io.fksafe.change.OneTable.ROW;
import static io.fksafe.change.OneTable.key;
import static io.fksafe.change.OneTable.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/**
 * Encoding writes through the fields of each schema instance, found once: schemas of the same name with their fields
 * in another order must each get every value in the right field, however they alternate.
 */
class ChangeRecordEncodeTest {

    private static Schema reversed(Schema s) {
        SchemaBuilder b = SchemaBuilder.struct().name(s.name()).version(s.version());
        List<Field> fields = s.fields();
        for (int i = fields.size() - 1; i >= 0; i--) {
            b.field(fields.get(i).name(), fields.get(i).schema());
        }
        return b.build();
    }

    @Test
    void sameNameOtherFieldOrderAlternating() {
        Schema usual = ChangeRecord.envelopeSchema(KEY, ROW);
        Schema other = reversed(usual);
        Schema markers = ChangeRecord.markerSchema();
        ChangeRecord insert = ChangeRecord.builder(Op.INSERT)
                .database("src")
                .table("t")
                .key(key(1L))
                .row(row(1L, "a"))
                .position(new SourcePosition("0-1-7", "mysql-bin.000002", 300, 2, 0, false))
                .txId("0-1-7")
                .sourceTsMs(1700000000000L)
                .build();
        ChangeRecord end = ChangeRecord.builder(Op.TX_END)
                .txId("0-1-7")
                .txEventCount(3L)
                .safe(true)
                .build();
        for (int round = 0; round < 3; round++) {
            for (Schema schema : List.of(usual, other)) {
                Struct s = insert.toStruct(schema);
                assertEquals(schema, s.schema());
                assertEquals("insert", s.getString("op"));
                assertEquals("src", s.getString("db"));
                assertEquals("t", s.getString("table"));
                assertEquals(1L, s.getStruct("key").getInt64("id"));
                assertEquals("a", s.getStruct("row").getString("name"));
                assertEquals("gtid=0-1-7;file=mysql-bin.000002;pos=300;event=2;row=0", s.getString("position"));
                assertEquals("0-1-7", s.getString("tx_id"));
                assertEquals(1700000000000L, s.getInt64("source_ts_ms"));
                assertEquals(false, s.getBoolean("safe"));
                assertNull(s.get("old_key"));
            }
            Struct m = end.toStruct(markers);
            assertEquals("tx_end", m.getString("op"));
            assertEquals(3L, m.getInt64("tx_event_count"));
            assertEquals(true, m.getBoolean("safe"));
        }
    }

    @Test
    void aValueForAFieldTheSchemaLacksFailsAsBefore() {
        Schema noTimestamp = SchemaBuilder.struct()
                .name(ChangeRecord.SCHEMA_NAME)
                .version(1)
                .field("op", Schema.STRING_SCHEMA)
                .field("db", Schema.OPTIONAL_STRING_SCHEMA)
                .field("table", Schema.OPTIONAL_STRING_SCHEMA)
                .field("position", Schema.OPTIONAL_STRING_SCHEMA)
                .field("tx_id", Schema.OPTIONAL_STRING_SCHEMA)
                .field("tx_event_count", Schema.OPTIONAL_INT64_SCHEMA)
                .field("safe", Schema.BOOLEAN_SCHEMA)
                .field("ddl", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        ChangeRecord begin = ChangeRecord.builder(Op.TX_BEGIN).txId("x").build();
        assertEquals("x", begin.toStruct(noTimestamp).getString("tx_id"));
        ChangeRecord timed =
                ChangeRecord.builder(Op.TX_BEGIN).txId("x").sourceTsMs(5L).build();
        DataException e = assertThrows(DataException.class, () -> timed.toStruct(noTimestamp));
        assertEquals("source_ts_ms is not a valid field name", e.getMessage());
        ChangeRecord row = ChangeRecord.builder(Op.DELETE)
                .database("src")
                .table("t")
                .key(key(1L))
                .build();
        DataException k = assertThrows(DataException.class, () -> row.toStruct(noTimestamp));
        assertEquals("envelope schema has no 'key' field", k.getMessage());
    }
}
