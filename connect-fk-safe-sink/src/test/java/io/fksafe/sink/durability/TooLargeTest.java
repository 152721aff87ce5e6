package io.fksafe.sink.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fksafe.change.ChangeRecord;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.TableDef;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * "Too large" on a real MariaDB whose max_allowed_packet is lowered to 8 KiB: a multi-row statement of valid rows
 * that is too large as a whole is cut into smaller statements and batches (no valid row goes to the DLQ, every row
 * lands), while a row too large on its own is the one that goes to the DLQ, or the one the stop names.
 */
class TooLargeTest {

    private static final int PACKET = 8192;
    private static final TableDef DOC =
            TableDef.of("src", "doc").key("id", Schema.INT64_SCHEMA).col("body", Schema.STRING_SCHEMA);

    private final TestDatabase db = TestDatabase.get();
    private long packetBefore;
    private String target;

    @BeforeEach
    void lowerThePacketLimit() {
        target = db.newDatabase("toolarge");
        db.exec("CREATE TABLE `" + target + "`.doc (id BIGINT PRIMARY KEY, body MEDIUMTEXT NOT NULL)");
        packetBefore = db.count("SELECT @@GLOBAL.max_allowed_packet");
        db.exec("SET GLOBAL max_allowed_packet = " + PACKET); // new sessions only: the task connects after this
    }

    @AfterEach
    void restoreIt() {
        db.exec("SET GLOBAL max_allowed_packet = " + packetBefore);
    }

    private Map<String, String> props(String... extra) {
        Map<String, String> p = TaskRunner.props(
                "toolarge-" + target,
                "table.mapping",
                "src.*=" + target + ".*",
                "safe.mode",
                "never",
                "retry.backoff.ms",
                "10");
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return p;
    }

    private static String body(long id, int chars) {
        return (id + ":").repeat(chars).substring(0, chars);
    }

    /** 60 one-row transactions and then one 60-row transaction, each row ~600 bytes: every row fits, no batch does. */
    private static ChangeStream manyValidRows() {
        ChangeStream s = new ChangeStream();
        for (long id = 1; id <= 60; id++) {
            s.tx(DOC.insert(id, body(id, 600)));
        }
        ChangeRecord[] big = new ChangeRecord[60];
        for (int i = 0; i < big.length; i++) {
            long id = 101 + i;
            big[i] = DOC.insert(id, body(id, 600));
        }
        return s.txWithMarkers(big);
    }

    @Test
    void batchTooLargeAsAWhole_isAppliedInSmallerStatements_noValidRowToTheDlq() {
        ChangeStream stream = manyValidRows();
        try (TaskRunner t = new TaskRunner(props(), true)) {
            var offsets = t.deliver(stream.all());
            assertEquals(
                    List.of(),
                    t.context.deadLetters.stream().map(SinkRecord::kafkaOffset).toList(),
                    "no valid row is dead-lettered");
            assertEquals(stream.size(), offsets.get(TaskRunner.TP).offset());
        }
        assertEquals(120, db.count("SELECT COUNT(*) FROM `" + target + "`.doc"));
        assertEquals(0, db.count("SELECT COUNT(*) FROM `" + target + "`.doc WHERE LENGTH(body) <> 600"));
    }

    @Test
    void batchTooLargeAsAWhole_withoutDlq_stillLandsEveryRow() {
        ChangeStream stream = manyValidRows();
        try (TaskRunner t = new TaskRunner(props())) {
            var offsets = t.deliver(stream.all());
            assertEquals(stream.size(), offsets.get(TaskRunner.TP).offset());
        }
        assertEquals(120, db.count("SELECT COUNT(*) FROM `" + target + "`.doc"));
    }

    /** Offsets 0-9: rows of 600 bytes, except offset 5 of 20 000 bytes, more than the packet limit on its own. */
    private static ChangeStream oneOversizedRow() {
        ChangeStream s = new ChangeStream();
        for (long id = 1; id <= 10; id++) {
            s.tx(DOC.insert(id, body(id, id == 6 ? 20_000 : 600)));
        }
        return s;
    }

    @Test
    void rowTooLargeAlone_withDlq_onlyItGoesThere() {
        ChangeStream stream = oneOversizedRow();
        try (TaskRunner t = new TaskRunner(props(), true)) {
            var offsets = t.deliver(stream.all());
            assertEquals(
                    List.of(5L),
                    t.context.deadLetters.stream().map(SinkRecord::kafkaOffset).toList());
            assertEquals(stream.size(), offsets.get(TaskRunner.TP).offset());
        }
        List<List<String>> ids = new ArrayList<>();
        for (long id = 1; id <= 10; id++) {
            if (id != 6) {
                ids.add(List.of(String.valueOf(id)));
            }
        }
        assertEquals(ids, db.query("SELECT id FROM `" + target + "`.doc ORDER BY id"));
    }

    @Test
    void rowTooLargeAlone_withoutDlq_stopNamesThatRecord() {
        ChangeStream stream = oneOversizedRow();
        try (TaskRunner t = new TaskRunner(props())) {
            ConnectException e = assertThrows(ConnectException.class, () -> t.deliver(stream.all()));
            assertTrue(
                    e.getMessage().contains("offset=5") && e.getMessage().contains("max_allowed_packet"),
                    e.getMessage());
            var committed = t.preCommit(stream.size()).get(TaskRunner.TP);
            assertTrue(committed == null || committed.offset() <= 5, "no offset past the oversized row: " + committed);
        }
    }
}
