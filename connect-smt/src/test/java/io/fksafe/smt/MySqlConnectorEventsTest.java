package io.fksafe.smt;

import static io.fksafe.smt.ExpectedChange.fields;
import static io.fksafe.smt.MySqlEvents.UUID;
import static io.fksafe.smt.MySqlEvents.envelope;
import static io.fksafe.smt.MySqlEvents.key;
import static io.fksafe.smt.MySqlEvents.record;
import static io.fksafe.smt.MySqlEvents.row;
import static io.fksafe.smt.MySqlEvents.source;
import static io.fksafe.smt.MySqlEvents.transaction;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.apache.kafka.connect.storage.StringConverter;
import org.junit.jupiter.api.Test;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.Op;

/** The MySQL connector's event shapes, built as Structs: GTID uuid:n, file/pos/row, with and without metadata. */
class MySqlConnectorEventsTest {

    private static ExpectedChange apply(SinkRecord in, Map<String, String> config) {
        DebeziumToChangeRecord<SinkRecord> smt = new DebeziumToChangeRecord<>();
        smt.configure(config);
        SinkRecord out = smt.apply(in);
        smt.close();
        return out == null ? null : ExpectedChange.of(ChangeRecord.fromStruct((Struct) out.value()));
    }

    private static ExpectedChange apply(SinkRecord in) {
        return apply(in, Map.of());
    }

    private static ExpectedChange customers(
            Op op,
            Map<String, Object> key,
            Map<String, Object> oldKey,
            Map<String, Object> row,
            String position,
            String txId) {
        return new ExpectedChange(op, "inventory", "customers", key, oldKey, row, position, txId, null, false, null);
    }

    @Test
    void insertWithGtidAndTransactionMetadata() {
        SinkRecord in = record(
                key(1001),
                envelope(
                        "c",
                        null,
                        row(1001, "a@x.org"),
                        source(UUID + ":23", "mysql-bin.000003", 154, 0, "false"),
                        transaction(UUID + ":23", 1)));
        assertEquals(
                customers(
                        Op.INSERT,
                        fields("id", 1001),
                        null,
                        fields("id", 1001, "email", "a@x.org", "first_name", "Anne"),
                        "gtid=" + UUID + ":23;file=mysql-bin.000003;pos=154;event=1;row=0",
                        UUID + ":23"),
                apply(in));
    }

    @Test
    void updateWithoutGtidsOrTransactionMetadataHasNoTxIdAndAFilePosition() {
        SinkRecord in = record(
                key(1001),
                envelope(
                        "u",
                        row(1001, "a@x.org"),
                        row(1001, "b@x.org"),
                        source(null, "mysql-bin.000003", 480, 2, "false"),
                        null));
        assertEquals(
                customers(
                        Op.UPDATE,
                        fields("id", 1001),
                        null,
                        fields("id", 1001, "email", "b@x.org", "first_name", "Anne"),
                        "file=mysql-bin.000003;pos=480;row=2",
                        null),
                apply(in));
    }

    @Test
    void withoutTransactionMetadataTheGtidIsTheTransactionId() {
        SinkRecord in = record(
                key(7),
                envelope("d", row(7, "x@x.org"), null, source(UUID + ":99", "mysql-bin.000010", 4, 0, "false"), null));
        assertEquals(
                customers(
                        Op.DELETE,
                        fields("id", 7),
                        null,
                        null,
                        "gtid=" + UUID + ":99;file=mysql-bin.000010;pos=4;row=0",
                        UUID + ":99"),
                apply(in));
    }

    @Test
    void updateWhoseBeforeAndAfterKeysDifferBecomesKeyUpdate() {
        // Debezium emits such an update when the key is not the primary key (message.key.columns)
        SinkRecord in = record(
                key(2002),
                envelope(
                        "u",
                        row(2001, "a@x.org"),
                        row(2002, "a@x.org"),
                        source(UUID + ":24", "mysql-bin.000003", 900, 0, "false"),
                        transaction(UUID + ":24", 1)));
        assertEquals(
                customers(
                        Op.KEY_UPDATE,
                        fields("id", 2002),
                        fields("id", 2001),
                        fields("id", 2002, "email", "a@x.org", "first_name", "Anne"),
                        "gtid=" + UUID + ":24;file=mysql-bin.000003;pos=900;event=1;row=0",
                        UUID + ":24"),
                apply(in));
    }

    @Test
    void keyChangeCreateWithInWorkerStructHeader() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.add(KeyChangeHeaders.OLD_KEY, key(1001), MySqlEvents.KEY);
        SinkRecord in = record(
                key(1002),
                envelope(
                        "c",
                        null,
                        row(1002, "a@x.org"),
                        source(UUID + ":25", "mysql-bin.000003", 1200, 0, "false"),
                        transaction(UUID + ":25", 2)),
                headers);
        assertEquals(Op.KEY_UPDATE, apply(in).op());
        assertEquals(fields("id", 1001), apply(in).oldKey());
    }

    @Test
    void keyChangeDeleteWithNewKeyHeaderIsDropped() {
        ConnectHeaders headers = new ConnectHeaders();
        headers.add(KeyChangeHeaders.NEW_KEY, key(1002), MySqlEvents.KEY);
        SinkRecord in = record(
                key(1001),
                envelope(
                        "d",
                        row(1001, "a@x.org"),
                        null,
                        source(UUID + ":25", "mysql-bin.000003", 1200, 0, "false"),
                        transaction(UUID + ":25", 1)),
                headers);
        assertNull(apply(in));
    }

    @Test
    void oldKeyHeaderIsReadWhateverTheSinkWorkersHeaderConverter() {
        for (HeaderConverter converter : new HeaderConverter[] {
            configured(new SimpleHeaderConverter()), configured(new StringConverter()), jsonHeaders()
        }) {
            // what the source worker wrote: SimpleHeaderConverter's text, or JSON with a schema
            byte[] bytes = converter instanceof JsonConverter
                    ? converter.fromConnectHeader("t", KeyChangeHeaders.OLD_KEY, MySqlEvents.KEY, key(300_000))
                    : "{\"id\":300000}".getBytes(StandardCharsets.UTF_8);
            ConnectHeaders headers = new ConnectHeaders();
            headers.add(KeyChangeHeaders.OLD_KEY, converter.toConnectHeader("t", KeyChangeHeaders.OLD_KEY, bytes));
            SinkRecord in = record(
                    key(1002),
                    envelope(
                            "c",
                            null,
                            row(1002, "a@x.org"),
                            source(UUID + ":25", "mysql-bin.000003", 1200, 0, "false"),
                            null),
                    headers);
            assertEquals(
                    fields("id", 300_000),
                    apply(in).oldKey(),
                    converter.getClass().getSimpleName());
        }
    }

    private static HeaderConverter configured(HeaderConverter c) {
        c.configure(Map.of("converter.type", "header"));
        return c;
    }

    private static JsonConverter jsonHeaders() {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", "true", "converter.type", "header"));
        return c;
    }

    @Test
    void everyDebeziumSnapshotMarkerButFalseMeansSnapshot() {
        for (String marker : new String[] {
            "true", "first", "first_in_data_collection", "last_in_data_collection", "last", "incremental"
        }) {
            SinkRecord in = record(
                    key(1),
                    envelope("c", null, row(1, "a@x.org"), source(null, "mysql-bin.000001", 4, 0, marker), null));
            assertEquals(
                    "file=mysql-bin.000001;pos=4;row=0;snapshot=true", apply(in).position(), marker);
        }
        SinkRecord streamed = record(
                key(1), envelope("c", null, row(1, "a@x.org"), source(null, "mysql-bin.000001", 4, 0, "false"), null));
        assertEquals("file=mysql-bin.000001;pos=4;row=0", apply(streamed).position());
        SinkRecord read = record(
                key(1), envelope("r", null, row(1, "a@x.org"), source(null, "mysql-bin.000001", 4, 0, "false"), null));
        assertEquals(
                "file=mysql-bin.000001;pos=4;row=0;snapshot=true", apply(read).position());
    }

    @Test
    void safeModeAlwaysMarksEverything() {
        SinkRecord in = record(
                key(1), envelope("c", null, row(1, "a@x.org"), source(null, "mysql-bin.000001", 4, 0, "false"), null));
        assertEquals(true, apply(in, Map.of("safe.mode", "always")).safe());
        assertEquals(false, apply(in, Map.of("safe.mode", "never")).safe());
    }

    @Test
    void safeModeWindowMarksOnlyEventsInsideARange() {
        Map<String, String> config = Map.of("safe.mode", "window", "safe.mode.windows", UUID + ":10.." + UUID + ":20");
        SinkRecord inside = record(
                key(1),
                envelope(
                        "c",
                        null,
                        row(1, "a@x.org"),
                        source(UUID + ":20", "mysql-bin.000001", 4, 0, "false"),
                        transaction(UUID + ":20", 1)));
        SinkRecord after = record(
                key(1),
                envelope(
                        "u",
                        row(1, "a@x.org"),
                        row(1, "b@x.org"),
                        source(UUID + ":21", "mysql-bin.000001", 900, 0, "false"),
                        transaction(UUID + ":21", 1)));
        SinkRecord snapshot = record(
                key(1), envelope("r", null, row(1, "a@x.org"), source(null, "mysql-bin.000001", 4, 0, "last"), null));
        assertEquals(true, apply(inside, config).safe());
        assertEquals(false, apply(after, config).safe());
        assertEquals(true, apply(snapshot, config).safe());
        Map<String, String> noSnapshot = Map.of(
                "safe.mode",
                "window",
                "safe.mode.windows",
                UUID + ":10.." + UUID + ":20",
                "safe.mode.snapshot",
                "false");
        assertEquals(false, apply(snapshot, noSnapshot).safe());
    }
}
