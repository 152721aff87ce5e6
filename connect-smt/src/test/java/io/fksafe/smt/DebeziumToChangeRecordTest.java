package io.fksafe.smt;

import static io.fksafe.smt.MySqlEvents.envelope;
import static io.fksafe.smt.MySqlEvents.key;
import static io.fksafe.smt.MySqlEvents.record;
import static io.fksafe.smt.MySqlEvents.row;
import static io.fksafe.smt.MySqlEvents.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.Op;

/** Records that are not plain row changes: what passes, what is dropped, what fails and how it says so. */
class DebeziumToChangeRecordTest {

    private final DebeziumToChangeRecord<SinkRecord> smt = new DebeziumToChangeRecord<>();

    @AfterEach
    void close() {
        smt.close();
    }

    private static SinkRecord value(Schema schema, Object value) {
        return new SinkRecord("other", 3, null, null, schema, value, 7L);
    }

    private Struct insertValue() {
        return envelope("c", null, row(1, "a@x.org"), source(null, "mysql-bin.000001", 4, 0, "false"), null);
    }

    @Test
    void tombstoneIsDropped() {
        smt.configure(Map.of());
        assertNull(smt.apply(record(key(1), null)));
    }

    @Test
    void nonDebeziumRecordsPassThroughUnchangedByDefault() {
        smt.configure(Map.of());
        Schema schema = SchemaBuilder.struct()
                .name("com.example.Order")
                .field("id", Schema.INT32_SCHEMA)
                .build();
        SinkRecord struct = value(schema, new Struct(schema).put("id", 1));
        SinkRecord text = value(Schema.STRING_SCHEMA, "hello");
        SinkRecord map = value(null, Map.of("id", 1));
        assertSame(struct, smt.apply(struct));
        assertSame(text, smt.apply(text));
        assertSame(map, smt.apply(map));
    }

    @Test
    void nonDebeziumRecordsFailWhenConfiguredNamingTheRecordAndTheKey() {
        smt.configure(Map.of("non.debezium.handling", "fail"));
        Schema schema = SchemaBuilder.struct()
                .name("com.example.Order")
                .field("id", Schema.INT32_SCHEMA)
                .build();
        DataException e =
                assertThrows(DataException.class, () -> smt.apply(value(schema, new Struct(schema).put("id", 1))));
        assertTrue(e.getMessage().startsWith("topic 'other' partition 3 offset 7: "), e.getMessage());
        assertTrue(e.getMessage().contains("com.example.Order"), e.getMessage());
        assertTrue(e.getMessage().contains("non.debezium.handling=passthrough"), e.getMessage());
    }

    @Test
    void changeRecordsPassThroughUnchanged() {
        smt.configure(Map.of("safe.mode", "always"));
        ChangeRecord marker = ChangeRecord.builder(Op.TX_BEGIN).txId("0-1-5").build();
        SinkRecord in = value(ChangeRecord.markerSchema(), marker.toStruct(ChangeRecord.markerSchema()));
        assertSame(in, smt.apply(in));
    }

    @Test
    void schemalessDebeziumEventIsRejectedWithTheConverterFix() {
        smt.configure(Map.of());
        Map<String, Object> payload = new HashMap<>();
        payload.put("op", "c");
        payload.put("source", Map.of("db", "shop", "table", "parent"));
        payload.put("after", Map.of("id", 1));
        for (Object value : new Object[] {payload, Map.of("schema", Map.of(), "payload", payload)}) {
            DataException e = assertThrows(DataException.class, () -> smt.apply(value(null, value)));
            assertTrue(e.getMessage().contains("value.converter.schemas.enable=true"), e.getMessage());
        }
    }

    @Test
    void rowChangeWithASchemalessKeyNamesTheFix() {
        smt.configure(Map.of());
        SinkRecord in = new SinkRecord("t", 0, null, Map.of("id", 1), MySqlEvents.ENVELOPE, insertValue(), 1L);
        DataException e = assertThrows(DataException.class, () -> smt.apply(in));
        assertTrue(e.getMessage().contains("key.converter.schemas.enable=true"), e.getMessage());
    }

    /** A table without a primary key: Debezium sends no key; the row image becomes it, and updates find the old image. */
    @Test
    void keylessTable_rowImageIsTheKey_updatesAreKeyUpdatesFromTheOldImage_deletesCarryTheOldImage() {
        smt.configure(Map.of());
        Struct src = source(null, "mysql-bin.000001", 4, 0, "false");
        ChangeRecord insert = ChangeRecord.fromStruct(
                (Struct) smt.apply(new SinkRecord("t", 0, null, null, MySqlEvents.ENVELOPE, insertValue(), 1L))
                        .value());
        assertEquals(Op.INSERT, insert.op());
        assertEquals(1, insert.key().get("id"));
        assertEquals("a@x.org", insert.key().get("email"));

        Struct unchanged = envelope("u", row(1, "a@x.org"), row(1, "a@x.org"), src, null);
        ChangeRecord update = ChangeRecord.fromStruct(
                (Struct) smt.apply(new SinkRecord("t", 0, null, null, MySqlEvents.ENVELOPE, unchanged, 2L))
                        .value());
        assertEquals(Op.KEY_UPDATE, update.op(), "never an upsert: that would insert a second copy");
        assertEquals("a@x.org", update.oldKey().get("email"));

        ChangeRecord delete = ChangeRecord.fromStruct((Struct) smt.apply(new SinkRecord(
                        "t",
                        0,
                        null,
                        null,
                        MySqlEvents.ENVELOPE,
                        envelope("d", row(1, "b@x.org"), null, src, null),
                        3L))
                .value());
        assertEquals(Op.DELETE, delete.op());
        assertEquals("b@x.org", delete.key().get("email"));

        DataException e = assertThrows(
                DataException.class,
                () -> smt.apply(new SinkRecord(
                        "t", 0, null, null, MySqlEvents.ENVELOPE, envelope("d", null, null, src, null), 4L)));
        assertTrue(e.getMessage().contains("binlog_row_image=FULL"), e.getMessage());
    }

    @Test
    void unknownOpFails() {
        smt.configure(Map.of());
        Struct v = envelope("x", null, row(1, "a@x.org"), source(null, "mysql-bin.000001", 4, 0, "false"), null);
        DataException e = assertThrows(DataException.class, () -> smt.apply(record(key(1), v)));
        assertTrue(e.getMessage().contains("unknown Debezium op 'x' for inventory.customers"), e.getMessage());
    }

    @Test
    void sourceRecordsWorkToo() {
        DebeziumToChangeRecord<SourceRecord> source = new DebeziumToChangeRecord<>();
        source.configure(Map.of());
        SourceRecord in = new SourceRecord(
                Map.of(), Map.of(), "t", 0, MySqlEvents.KEY, key(1), MySqlEvents.ENVELOPE, insertValue());
        SourceRecord out = source.apply(in);
        assertEquals(Op.INSERT, ChangeRecord.fromStruct((Struct) out.value()).op());
        source.close();
    }

    @Test
    void sameTableReusesTheCachedSchema() {
        smt.configure(Map.of());
        SinkRecord a = smt.apply(record(key(1), insertValue()));
        SinkRecord b = smt.apply(record(
                key(2),
                envelope(
                        "u",
                        row(2, "a@x.org"),
                        row(2, "b@x.org"),
                        source(null, "mysql-bin.000001", 90, 0, "false"),
                        null)));
        assertSame(a.valueSchema(), b.valueSchema());
    }

    @Test
    void closeReleasesTheCacheAndConfigureStartsAgain() {
        smt.configure(Map.of());
        assertNotNull(smt.apply(record(key(1), insertValue())));
        smt.close();
        smt.configure(Map.of());
        assertNotNull(smt.apply(record(key(1), insertValue())));
    }

    @Test
    void versionIsTheProjectVersion() {
        assertFalse(smt.version().isBlank());
        assertFalse(smt.version().contains("${"), smt.version());
        assertFalse("unknown".equals(smt.version()));
    }
}
