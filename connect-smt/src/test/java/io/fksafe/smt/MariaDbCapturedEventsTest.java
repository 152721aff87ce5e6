package io.fksafe.smt;

import static io.fksafe.smt.ExpectedChange.fields;
import static io.fksafe.smt.ExpectedChange.marker;
import static io.fksafe.smt.ExpectedChange.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.Op;

/** The SMT on records captured from a real Debezium MariaDB connector (see DebeziumFixtureCapture). */
class MariaDbCapturedEventsTest {

    private final DebeziumToChangeRecord<SinkRecord> smt = new DebeziumToChangeRecord<>();

    @AfterEach
    void close() {
        smt.close();
    }

    /** Applies the default-configured SMT to a fixture; dropped records are null. */
    private List<ExpectedChange> changes(String fixture) {
        return changes(fixture, Map.of());
    }

    private List<ExpectedChange> changes(String fixture, Map<String, String> config) {
        smt.configure(config);
        List<ExpectedChange> out = new ArrayList<>();
        for (SinkRecord in : DebeziumFixtures.load(fixture)) {
            SinkRecord r = smt.apply(in);
            out.add(r == null ? null : ExpectedChange.of(ChangeRecord.fromStruct((Struct) r.value())));
        }
        return out;
    }

    @Test
    void insertBecomesInsertBetweenTransactionMarkers() {
        assertEquals(
                List.of(
                        marker(Op.TX_BEGIN, "0-1-10", null),
                        row(
                                Op.INSERT,
                                "parent",
                                fields("id", 3),
                                null,
                                fields("id", 3, "name", "c"),
                                "gtid=0-1-10;file=mysql-bin.000001;pos=2279;event=1;row=0",
                                "0-1-10"),
                        marker(Op.TX_END, "0-1-10", 1L)),
                changes("insert"));
    }

    @Test
    void multiRowInsertSharesPosAndCountsRowsAndEvents() {
        assertEquals(
                List.of(
                        marker(Op.TX_BEGIN, "0-1-11", null),
                        row(
                                Op.INSERT,
                                "child",
                                fields("id", 10),
                                null,
                                fields("id", 10, "parent_id", 3, "name", "x"),
                                "gtid=0-1-11;file=mysql-bin.000001;pos=2512;event=1;row=0",
                                "0-1-11"),
                        row(
                                Op.INSERT,
                                "child",
                                fields("id", 11),
                                null,
                                fields("id", 11, "parent_id", 3, "name", "y"),
                                "gtid=0-1-11;file=mysql-bin.000001;pos=2512;event=2;row=1",
                                "0-1-11"),
                        row(
                                Op.INSERT,
                                "child",
                                fields("id", 12),
                                null,
                                fields("id", 12, "parent_id", 3, "name", "z"),
                                "gtid=0-1-11;file=mysql-bin.000001;pos=2512;event=3;row=2",
                                "0-1-11"),
                        marker(Op.TX_END, "0-1-11", 3L)),
                changes("multi-row-insert"));
    }

    @Test
    void updateKeepingTheKeyBecomesUpdate() {
        assertEquals(
                row(
                        Op.UPDATE,
                        "parent",
                        fields("id", 3),
                        null,
                        fields("id", 3, "name", "c2"),
                        "gtid=0-1-12;file=mysql-bin.000001;pos=2813;event=1;row=0",
                        "0-1-12"),
                changes("update").get(1));
    }

    @Test
    void keyChangePairBecomesOneKeyUpdate() {
        assertEquals(
                java.util.Arrays.asList(
                        marker(Op.TX_BEGIN, "0-1-13", null),
                        null, // DELETE(old key) with __debezium.newkey: applying it would cascade to the children
                        null, // its tombstone
                        row(
                                Op.KEY_UPDATE,
                                "parent",
                                fields("id", 30),
                                fields("id", 3),
                                fields("id", 30, "name", "c2"),
                                "gtid=0-1-13;file=mysql-bin.000001;pos=3104;event=2;row=0",
                                "0-1-13"),
                        marker(Op.TX_END, "0-1-13", 2L)),
                changes("key-change"));
    }

    @Test
    void compositeKeyChangeRestoresTheOldKeyTypesFromTheHeaderText() {
        // the header reaches the sink as the text {"code":"a","n":1}; n must come back as the key's INT64
        assertEquals(
                row(
                        Op.KEY_UPDATE,
                        "item",
                        fields("code", "a", "n", 2L),
                        fields("code", "a", "n", 1L),
                        fields("code", "a", "n", 2L, "label", "first"),
                        "gtid=0-1-14;file=mysql-bin.000001;pos=3392;event=2;row=0",
                        "0-1-14"),
                changes("key-change-composite").get(3));
    }

    @Test
    void deleteBecomesDeleteWithoutRowAndItsTombstoneIsDropped() {
        assertEquals(
                java.util.Arrays.asList(
                        marker(Op.TX_BEGIN, "0-1-15", null),
                        row(
                                Op.DELETE,
                                "child",
                                fields("id", 12),
                                null,
                                null,
                                "gtid=0-1-15;file=mysql-bin.000001;pos=3657;event=1;row=0",
                                "0-1-15"),
                        null,
                        marker(Op.TX_END, "0-1-15", 1L)),
                changes("delete"));
    }

    @Test
    void multiStatementTransactionOrdersItsChangesByEventIndex() {
        assertEquals(
                List.of(
                        marker(Op.TX_BEGIN, "0-1-16", null),
                        row(
                                Op.INSERT,
                                "parent",
                                fields("id", 4),
                                null,
                                fields("id", 4, "name", "d"),
                                "gtid=0-1-16;file=mysql-bin.000001;pos=3880;event=1;row=0",
                                "0-1-16"),
                        row(
                                Op.INSERT,
                                "child",
                                fields("id", 13),
                                null,
                                fields("id", 13, "parent_id", 4, "name", "w"),
                                "gtid=0-1-16;file=mysql-bin.000001;pos=3880;event=2;row=0",
                                "0-1-16"),
                        row(
                                Op.UPDATE,
                                "child",
                                fields("id", 10),
                                null,
                                fields("id", 10, "parent_id", 30, "name", "x2"),
                                "gtid=0-1-16;file=mysql-bin.000001;pos=3880;event=3;row=0",
                                "0-1-16"),
                        marker(Op.TX_END, "0-1-16", 3L)),
                changes("transaction"));
    }

    @Test
    void snapshotReadsBecomeReadsWithSnapshotPositionsAndNoTransaction() {
        List<ExpectedChange> changes = changes("snapshot");
        String at = "file=mysql-bin.000001;pos=2279;row=0;snapshot=true";
        assertEquals(
                List.of(
                        row(Op.READ, "audit_log", fields("id", 1L), null, fields("id", 1L, "msg", "hello"), at, null),
                        row(
                                Op.READ,
                                "child",
                                fields("id", 1),
                                null,
                                fields("id", 1, "parent_id", 1, "name", "a1"),
                                at,
                                null),
                        row(
                                Op.READ,
                                "item",
                                fields("code", "a", "n", 1L),
                                null,
                                fields("code", "a", "n", 1L, "label", "first"),
                                at,
                                null),
                        row(Op.READ, "parent", fields("id", 1), null, fields("id", 1, "name", "a"), at, null),
                        row(Op.READ, "parent", fields("id", 2), null, fields("id", 2, "name", "b"), at, null)),
                changes.subList(12, 17));
    }

    @Test
    void snapshotSchemaEventsBecomeDdlMarkedAsSnapshot() {
        List<ExpectedChange> changes = changes("snapshot");
        String at = "file=mysql-bin.000001;pos=2279;row=0;snapshot=true";
        // Debezium replays the source schema, DROP DATABASE included: the sink must never run snapshot DDL as is
        assertEquals(
                new ExpectedChange(
                        Op.DDL,
                        "shop",
                        null,
                        null,
                        null,
                        null,
                        at,
                        null,
                        null,
                        false,
                        "DROP DATABASE IF EXISTS `shop`"),
                changes.get(5));
        assertEquals(
                new ExpectedChange(
                        Op.DDL,
                        "shop",
                        "parent",
                        null,
                        null,
                        null,
                        at,
                        null,
                        null,
                        false,
                        "DROP TABLE IF EXISTS `shop`.`parent`"),
                changes.get(4));
        assertEquals(
                new ExpectedChange(
                        Op.DDL,
                        "",
                        null,
                        null,
                        null,
                        null,
                        at,
                        null,
                        null,
                        false,
                        "SET character_set_server=latin1, collation_server=latin1_swedish_ci"),
                changes.get(0));
        assertTrue(changes.subList(0, 12).stream().allMatch(c -> c.op() == Op.DDL));
    }

    @Test
    void snapshotReadsAreSafeInWindowModeByDefault() {
        List<ExpectedChange> changes = changes("snapshot", Map.of("safe.mode", "window"));
        assertTrue(changes.stream().allMatch(ExpectedChange::safe), changes.toString());
    }

    @Test
    void binlogRotationShowsInTheFile() {
        assertEquals(
                row(
                        Op.INSERT,
                        "parent",
                        fields("id", 5),
                        null,
                        fields("id", 5, "name", "e"),
                        "gtid=0-1-17;file=mysql-bin.000002;pos=385;event=1;row=0",
                        "0-1-17"),
                changes("rotation").get(1));
    }

    @Test
    void streamedSchemaChangeBecomesDdlAndItsTransactionHasNoEnd() {
        assertEquals(
                List.of(
                        marker(Op.TX_BEGIN, "0-1-19", null),
                        new ExpectedChange(
                                Op.DDL,
                                "shop",
                                "parent",
                                null,
                                null,
                                null,
                                "gtid=0-1-19;file=mysql-bin.000002;pos=793;row=0",
                                "0-1-19",
                                null,
                                false,
                                "ALTER TABLE parent ADD COLUMN note VARCHAR(20) NULL")),
                changes("schema-change"));
        assertEquals(
                row(
                        Op.INSERT,
                        "parent",
                        fields("id", 6),
                        null,
                        fields("id", 6, "name", "f", "note", "n"),
                        "gtid=0-1-20;file=mysql-bin.000002;pos=920;event=1;row=0",
                        "0-1-20"),
                changes("after-schema-change").get(1));
    }

    @Test
    void truncateFailsByDefaultNamingRecordTableAndFix() {
        smt.configure(Map.of());
        SinkRecord truncate = DebeziumFixtures.load("truncate").get(1);
        DataException e = assertThrows(DataException.class, () -> smt.apply(truncate));
        assertTrue(e.getMessage().startsWith("topic 'fksafe.shop' partition 0 offset 51: "), e.getMessage());
        assertTrue(e.getMessage().contains("shop.audit_log"), e.getMessage());
        assertTrue(e.getMessage().contains("'truncate.handling=skip'"), e.getMessage());
    }

    @Test
    void truncateIsDroppedWhenConfiguredToSkip() {
        assertEquals(
                java.util.Arrays.asList(marker(Op.TX_BEGIN, "0-1-18", null), null),
                changes("truncate", Map.of("truncate.handling", "skip")));
    }

    @Test
    void outputKeepsKeyCoordinatesAndHeadersAndLeavesTheInputAlone() {
        smt.configure(Map.of());
        SinkRecord in = DebeziumFixtures.load("key-change").get(3);
        int headersBefore = in.headers().size();
        SinkRecord out = smt.apply(in);
        assertNotNull(out);
        assertEquals(in.topic(), out.topic());
        assertEquals(in.kafkaPartition(), out.kafkaPartition());
        assertEquals(in.kafkaOffset(), out.kafkaOffset());
        assertEquals(in.timestamp(), out.timestamp());
        assertEquals(in.keySchema(), out.keySchema());
        assertEquals(in.key(), out.key());
        assertEquals(in.headers(), out.headers());
        assertNotSame(in.headers(), out.headers());
        assertEquals(headersBefore, in.headers().size());
        assertEquals(ChangeRecord.SCHEMA_NAME, out.valueSchema().name());
    }

    @Test
    void everyStreamedChangeHasAStrictlyLaterPositionThanTheOneBefore() {
        smt.configure(Map.of());
        io.fksafe.change.SourcePosition previous = null;
        int compared = 0;
        for (SinkRecord in : DebeziumFixtures.all()) {
            SinkRecord out = in.value() == null ? null : apply(in);
            ChangeRecord c = out == null ? null : ChangeRecord.fromStruct((Struct) out.value());
            if (c == null || !c.op().isRowChange() || c.position().snapshot()) {
                continue;
            }
            if (previous != null) {
                assertTrue(previous.compareTo(c.position()) < 0, previous + " before " + c.position());
                compared++;
            }
            previous = c.position();
        }
        assertEquals(12, compared); // 13 streamed row changes
    }

    private SinkRecord apply(SinkRecord in) {
        try {
            return smt.apply(in);
        } catch (DataException truncate) {
            assertTrue(truncate.getMessage().contains("truncate"), truncate.getMessage());
            return null;
        }
    }

    @Test
    void recordsWithoutKeyChangeHeadersKeepNoOldKey() {
        for (ExpectedChange c : changes("transaction")) {
            assertNull(c.oldKey());
        }
    }
}
