package io.fksafe.change;

import static io.fksafe.change.ChangeRecordDecodeTest.assertSameRecord;
import static io.fksafe.change.OneTable.KEY;
import static io.fksafe.change.OneTable.key;
import static io.fksafe.change.OneTable.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sink takes back the record the transform wrote only while the Struct holds exactly what was written, on the
 * thread that wrote it, once; anything else is decoded, and gives the same values a decode always gave.
 */
class HandOverTest {

    private static final SourcePosition AT = new SourcePosition("0-1-7", "mysql-bin.000002", 300, 2, 0, false);

    private static ChangeRecord insert(long id, String name) {
        return ChangeRecord.builder(Op.INSERT)
                .database("src")
                .table("t")
                .key(key(id))
                .row(row(id, name))
                .position(AT)
                .txId("0-1-7")
                .txEventCount(10L)
                .sourceTsMs(1700000000000L)
                .build();
    }

    @AfterEach
    void forget() {
        ChangeRecord.forgetWrittenRecords();
    }

    @Test
    void theWrittenRecordComesBackOnce_thenTheStructIsDecoded() {
        ChangeRecord r = insert(1, "a");
        Struct s = r.toStruct();
        assertSame(r, ChangeRecord.fromStruct(s));
        ChangeRecord again = ChangeRecord.fromStruct(s);
        assertNotSame(r, again, "taken once: a redelivered record is decoded");
        assertSameRecord(r, again);
    }

    @Test
    void aValuePutAfterwards_evenAnEqualOne_makesTheSinkDecode() {
        ChangeRecord r = insert(2, "b");
        Struct renamed = r.toStruct().put("table", "other");
        ChangeRecord c = ChangeRecord.fromStruct(renamed);
        assertEquals("other", c.table(), "a later transform's change reaches the sink");
        assertEquals("t", r.table());

        // an equal text in another object: not the written reference, so decoded (with the same values)
        Struct s = r.toStruct();
        s.put("position", new String(s.getString("position")));
        ChangeRecord decoded = ChangeRecord.fromStruct(s);
        assertNotSame(r, decoded);
        assertSameRecord(r, decoded);

        Struct rowChanged = r.toStruct();
        rowChanged.put("row", row(2, "c"));
        assertEquals("c", ChangeRecord.fromStruct(rowChanged).row().getString("name"));
    }

    @Test
    void aCopyIsDecoded_andTheOriginalStillComesBack() {
        ChangeRecord r = insert(3, "c");
        Struct s = r.toStruct();
        Struct copy = new Struct(s.schema());
        for (Field f : s.schema().fields()) {
            copy.put(f, s.get(f));
        }
        ChangeRecord fromCopy = ChangeRecord.fromStruct(copy);
        assertNotSame(r, fromCopy);
        assertSameRecord(r, fromCopy);
        assertSame(r, ChangeRecord.fromStruct(s));
    }

    @Test
    void anotherThreadDecodes() throws Exception {
        ChangeRecord r = insert(4, "d");
        Struct s = r.toStruct();
        ChangeRecord there =
                CompletableFuture.supplyAsync(() -> ChangeRecord.fromStruct(s)).get();
        assertNotSame(r, there);
        assertSameRecord(r, there);
        assertSame(r, ChangeRecord.fromStruct(s), "the writing thread's record was not taken by the other");
    }

    @Test
    void aRowCopiedUnderTheEnvelopesSchemaIsNotHandedOver() {
        Schema required = SchemaBuilder.struct() // not optional: the envelope holds a copy under an optional schema
                .name("src.t.Value")
                .field("id", Schema.INT64_SCHEMA)
                .field("name", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        ChangeRecord r = ChangeRecord.builder(Op.INSERT)
                .database("src")
                .table("t")
                .key(key(5))
                .row(new Struct(required).put("id", 5L).put("name", "e"))
                .position(AT)
                .build();
        Struct s = r.toStruct(ChangeRecord.envelopeSchema(KEY, required));
        assertFalse(HandOverProbe.waiting(s));
        ChangeRecord c = ChangeRecord.fromStruct(s);
        assertNotSame(r, c);
        assertSame(s.getStruct("row"), c.row(), "the sink gets the copy the envelope holds, as it always did");
    }

    @Test
    void markersComeBackToo_andForgettingDropsThem() {
        ChangeRecord end = ChangeRecord.builder(Op.TX_END)
                .txId("0-1-7")
                .txEventCount(3L)
                .position(AT)
                .build();
        Struct s = end.toStruct();
        assertTrue(HandOverProbe.waiting(s));
        ChangeRecord.forgetWrittenRecords();
        assertFalse(HandOverProbe.waiting(s));
        assertSameRecord(end, ChangeRecord.fromStruct(s));

        Struct t = end.toStruct();
        assertSame(end, ChangeRecord.fromStruct(t));
    }
}
