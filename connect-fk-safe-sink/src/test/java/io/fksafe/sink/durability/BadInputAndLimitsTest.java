package io.fksafe.sink.durability;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.LabSchema;
import io.fksafe.sink.testing.TableDef;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * Bad input names its record, table and fix, and stops the task — unless the user set up a dead-letter queue, which
 * then gets exactly the bad record (never an FK violation) while everything around it is applied. Oversized
 * upstream transactions stop the task unless splitting is allowed.
 */
class BadInputAndLimitsTest {

    private final TestDatabase db = TestDatabase.get();

    private String target() {
        String t = db.newDatabase("badinput");
        LabSchema.create(db, t);
        return t;
    }

    private static Map<String, String> props(String target, String... extra) {
        Map<String, String> p =
                TaskRunner.props("bad-" + target, "table.mapping", "src.*=" + target + ".*", "safe.mode", "never");
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return p;
    }

    /** A value too long for child_cascade.payload VARCHAR(50): 1406 in strict mode, never silently truncated. */
    private static ChangeStream withOneTooLongValue() {
        return new ChangeStream()
                .tx(PARENT.insert(1L, "p1"), CHILD_CASCADE.insert(11L, 1L, "fine"))
                .tx(CHILD_CASCADE.insert(12L, 1L, "x".repeat(51)))
                .tx(CHILD_CASCADE.insert(13L, 1L, "after"));
    }

    @Test
    void valueTooLong_withoutDlq_stopsNamingRecordTableAndFix_nothingTruncated() {
        String target = target();
        try (TaskRunner t = new TaskRunner(props(target))) {
            ConnectException e = assertThrows(
                    ConnectException.class,
                    () -> t.deliver(withOneTooLongValue().all()));
            assertTrue(
                    e.getMessage().contains("offset=2")
                            && e.getMessage().contains(target + ".child_cascade")
                            && e.getMessage().contains("1406")
                            && e.getMessage().contains("Fix:"),
                    e.getMessage());
        }
        assertEquals(0, db.count("SELECT COUNT(*) FROM `" + target + "`.child_cascade WHERE id = 12"));
    }

    /**
     * Debezium decodes a latin1 column with Java's cp1252, where 0x81 is undefined: the value arrives with U+FFFD, and a
     * latin1 target column refuses it (1366). The error says the bytes were lost at capture, not by the sink.
     */
    @Test
    void replacementCharacterRefusedByALatin1Column_theErrorSaysTheBytesWereLostAtCapture() {
        String target = target();
        db.exec("CREATE TABLE `" + target + "`.legacy (id BIGINT PRIMARY KEY, name VARCHAR(20) CHARACTER SET latin1)");
        TableDef legacy =
                TableDef.of("src", "legacy").key("id", Schema.INT64_SCHEMA).col("name", Schema.OPTIONAL_STRING_SCHEMA);
        ChangeStream stream = new ChangeStream().tx(legacy.insert(7L, "caf\uFFFD"));
        try (TaskRunner t = new TaskRunner(props(target))) {
            ConnectException e = assertThrows(ConnectException.class, () -> t.deliver(stream.all()));
            String m = e.getMessage();
            assertTrue(
                    m.contains("offset=0")
                            && m.contains(target + ".legacy")
                            && m.contains("1366")
                            && m.contains("'name'")
                            && m.contains("U+FFFD")
                            && m.contains("lost at capture")
                            && m.contains("latin1")
                            && m.contains("Data fidelity"),
                    m);
        }
        assertEquals(0, db.count("SELECT COUNT(*) FROM `" + target + "`.legacy"));
    }

    @Test
    void valueTooLong_withDlq_onlyThatRecordGoesThere_theRestIsApplied() {
        String target = target();
        ChangeStream stream = withOneTooLongValue();
        try (TaskRunner t = new TaskRunner(props(target), true)) {
            var offsets = t.deliver(stream.all());
            assertEquals(
                    List.of(2L),
                    t.context.deadLetters.stream().map(SinkRecord::kafkaOffset).toList());
            assertEquals(
                    stream.size(),
                    offsets.get(TaskRunner.TP).offset(),
                    "the offset moves past the dead-lettered record");
        }
        assertEquals(
                List.of(List.of("11"), List.of("13")),
                db.query("SELECT id FROM `" + target + "`.child_cascade ORDER BY id"));
    }

    @Test
    void fkViolation_neverGoesToTheDlq_evenWhenOneIsConfigured() {
        String target = target();
        ChangeStream stream = new ChangeStream().tx(CHILD_CASCADE.insert(9L, 404L, "orphan"));
        try (TaskRunner t = new TaskRunner(props(target), true)) {
            ConnectException e = assertThrows(ConnectException.class, () -> t.deliver(stream.all()));
            assertTrue(e.getMessage().contains("1452"), e.getMessage());
            assertEquals(0, t.context.deadLetters.size());
        }
    }

    @Test
    void unknownTableAndUnknownColumnAndNonChangeRecords_nameTheRecordAndTheFix_orGoToTheDlq() {
        String target = target();
        TableDef missingTable = TableDef.of("src", "no_such_table").key("id", Schema.INT64_SCHEMA);
        TableDef extraColumn = TableDef.of("src", "parent")
                .key("id", Schema.INT64_SCHEMA)
                .col("note", Schema.STRING_SCHEMA)
                .col("added_upstream", Schema.OPTIONAL_STRING_SCHEMA);
        Schema plain = SchemaBuilder.struct()
                .name("not.a.change")
                .field("x", Schema.INT32_SCHEMA)
                .build();
        ChangeStream stream = new ChangeStream().tx(missingTable.insert(1L)).tx(extraColumn.insert(1L, "p", "new col"));
        List<SinkRecord> records = new java.util.ArrayList<>(stream.all());
        records.add(new SinkRecord(
                ChangeStream.TOPIC, 0, null, null, plain, new Struct(plain).put("x", 1), records.size()));

        try (TaskRunner t = new TaskRunner(props(target))) {
            ConnectException e = assertThrows(ConnectException.class, () -> t.deliver(records.subList(0, 1)));
            assertTrue(
                    e.getMessage().contains("offset=0")
                            && e.getMessage().contains("no such table")
                            && e.getMessage().contains("table.mapping"),
                    e.getMessage());
        }
        try (TaskRunner t = new TaskRunner(props(target))) {
            ConnectException e = assertThrows(ConnectException.class, () -> t.deliver(records.subList(1, 2)));
            assertTrue(
                    e.getMessage().contains("offset=1")
                            && e.getMessage().contains("added_upstream")
                            && e.getMessage().contains("ADD COLUMN"),
                    e.getMessage());
        }
        try (TaskRunner t = new TaskRunner(props(target))) {
            ConnectException e = assertThrows(ConnectException.class, () -> t.deliver(records.subList(2, 3)));
            assertTrue(
                    e.getMessage().contains("offset=2") && e.getMessage().contains("DebeziumToChangeRecord"),
                    e.getMessage());
        }
        try (TaskRunner t = new TaskRunner(props(target), true)) {
            var offsets = t.deliver(records);
            assertEquals(
                    List.of(0L, 1L, 2L),
                    t.context.deadLetters.stream().map(SinkRecord::kafkaOffset).toList());
            assertEquals(3L, offsets.get(TaskRunner.TP).offset());
        }
    }

    private static ChangeStream oneBigTransaction() {
        io.fksafe.change.ChangeRecord[] rows = new io.fksafe.change.ChangeRecord[9];
        rows[0] = PARENT.insert(1L, "p1");
        for (int i = 1; i < rows.length; i++) {
            rows[i] = CHILD_CASCADE.insert((long) i, 1L, "c" + i);
        }
        return new ChangeStream().txWithMarkers(rows);
    }

    @Test
    void transactionOverTheLimit_stopsWithAClearError_unlessSplittingIsAllowed() {
        String target = target();
        try (TaskRunner t = new TaskRunner(props(target, "transaction.max.rows", "5"))) {
            ConnectException e = assertThrows(
                    ConnectException.class, () -> t.deliver(oneBigTransaction().all()));
            assertTrue(
                    e.getMessage().contains("transaction.max.rows")
                            && e.getMessage().contains("transaction.split.allowed"),
                    e.getMessage());
        }
        assertEquals(0, db.count("SELECT COUNT(*) FROM `" + target + "`.parent"));
        try (TaskRunner t =
                new TaskRunner(props(target, "transaction.max.rows", "5", "transaction.split.allowed", "true"))) {
            t.deliver(oneBigTransaction().all());
            assertEquals(1, t.task.stats().splitTransactions());
        }
        assertEquals(8, db.count("SELECT COUNT(*) FROM `" + target + "`.child_cascade"));
    }
}
