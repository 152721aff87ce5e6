package io.fksafe.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class SourcePositionOrderTest {

    private static SourcePosition at(String gtid, String file, long pos, long event, int row) {
        return new SourcePosition(gtid, file, pos, event, row, false);
    }

    /** Shuffled, then sorted: must come back in source order. */
    private static void assertOrdered(List<SourcePosition> expected) {
        List<SourcePosition> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, new java.util.Random(42));
        Collections.sort(shuffled);
        assertEquals(expected, shuffled);
        for (int i = 1; i < expected.size(); i++) {
            assertTrue(
                    expected.get(i - 1).compareTo(expected.get(i)) < 0, expected.get(i - 1) + " < " + expected.get(i));
            assertTrue(
                    expected.get(i).compareTo(expected.get(i - 1)) > 0, expected.get(i) + " > " + expected.get(i - 1));
        }
    }

    @Test
    void binlogRotationFrom000009To000010IsNumericNotTextual() {
        assertOrdered(List.of(
                at(null, "mysql-bin.000009", 4, 0, 0),
                at(null, "mysql-bin.000009", 98_000, 0, 0),
                at(null, "mysql-bin.000010", 4, 0, 0),
                at(null, "mysql-bin.000010", 120, 0, 0),
                at(null, "mysql-bin.1000000", 4, 0, 0))); // past six digits the suffix just grows
    }

    @Test
    void rowsOfOneMultiRowEventShareThePosAndOrderByRow() {
        assertOrdered(List.of(
                at(null, "mysql-bin.000003", 2512, 1, 0),
                at(null, "mysql-bin.000003", 2512, 2, 1),
                at(null, "mysql-bin.000003", 2512, 3, 2)));
        assertOrdered(List.of( // without transaction metadata the event index is unknown (0): row still orders
                at(null, "mysql-bin.000003", 2512, 0, 0),
                at(null, "mysql-bin.000003", 2512, 0, 1),
                at(null, "mysql-bin.000003", 2512, 0, 2)));
    }

    @Test
    void changesOfOneTransactionShareThePosAndOrderByEvent() {
        // as captured from MariaDB: INSERT parent, INSERT child, UPDATE child in one transaction, each row=0
        assertOrdered(List.of(
                at("0-1-16", "mysql-bin.000001", 3880, 1, 0),
                at("0-1-16", "mysql-bin.000001", 3880, 2, 0),
                at("0-1-16", "mysql-bin.000001", 3880, 3, 0),
                at("0-1-17", "mysql-bin.000002", 385, 1, 0)));
    }

    @Test
    void mariaDbGtidsOrderBySequenceWithinADomainAcrossAFailover() {
        assertOrdered(List.of(
                at("0-1-9", "mysql-bin.000007", 900, 1, 0),
                at("0-1-10", "mysql-bin.000007", 1200, 1, 0),
                // failover: new server id 2 and its own binlog names, the domain's sequence goes on
                at("0-2-11", "mariadb-bin.000001", 330, 1, 0),
                at("0-2-100", "mariadb-bin.000001", 9000, 1, 0)));
    }

    @Test
    void mysqlGtidsOrderByTransactionNumberOfOneServer() {
        String uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
        assertOrdered(List.of(
                at(uuid + ":9", "mysql-bin.000001", 900, 1, 0),
                at(uuid + ":10", "mysql-bin.000001", 1200, 1, 0),
                at(uuid + ":100", "binlog.000001", 4, 1, 0))); // after a failover that restarted file names
    }

    @Test
    void theSameGtidFallsBackToFilePosEventRow() {
        assertOrdered(List.of(
                at("0-1-5", "mysql-bin.000001", 500, 1, 0),
                at("0-1-5", "mysql-bin.000001", 500, 2, 0),
                at("0-1-5", "mysql-bin.000001", 500, 2, 1)));
    }

    @Test
    void snapshotReadsShareTheFirstStreamedTransactionsPosButComeBeforeIt() {
        // captured: the snapshot and the first streamed transaction both report pos 2279
        SourcePosition snapshot = new SourcePosition(null, "mysql-bin.000001", 2279, 0, true);
        SourcePosition firstStreamed = at("0-1-10", "mysql-bin.000001", 2279, 1, 0);
        assertTrue(snapshot.compareTo(firstStreamed) < 0);
        assertEquals(0, snapshot.compareTo(new SourcePosition(null, "mysql-bin.000001", 2279, 0, true)));
    }

    @Test
    void textFormRoundTripsAndOmitsUnknownEvent() {
        SourcePosition p = new SourcePosition("0-1-42", "mysql-bin.000003", 4249, 2, 1, true);
        assertEquals("gtid=0-1-42;file=mysql-bin.000003;pos=4249;event=2;row=1;snapshot=true", p.format());
        assertEquals(p, SourcePosition.parse(p.format()));
        SourcePosition old = new SourcePosition(null, "mysql-bin.000003", 4249, 0, false);
        assertEquals("file=mysql-bin.000003;pos=4249;row=0", old.format());
        assertEquals(old, SourcePosition.parse("file=mysql-bin.000003;pos=4249;row=0"));
        assertEquals(
                0, SourcePosition.parse("file=mysql-bin.000003;pos=4249;row=0").event());
    }

    @Test
    void transactionAtOrBefore_comparesWholeTransactions_forDedupeAgainstACheckpoint() {
        SourcePosition checkpoint = at(null, "mysql-bin.000003", 500, 0, 0); // last change of a committed transaction
        assertTrue(
                at(null, "mysql-bin.000003", 500, 0, 7).transactionAtOrBefore(checkpoint),
                "same transaction, later row");
        assertTrue(at(null, "mysql-bin.000002", 9_000, 0, 0).transactionAtOrBefore(checkpoint), "older file");
        assertTrue(!at(null, "mysql-bin.000003", 501, 0, 0).transactionAtOrBefore(checkpoint), "next transaction");
        assertTrue(!at(null, "mysql-bin.000004", 4, 0, 0).transactionAtOrBefore(checkpoint), "after rotation");
        SourcePosition gtidCheckpoint = at("0-1-42", "mysql-bin.000003", 500, 3, 0);
        assertTrue(
                at("0-2-42", "other-bin.000001", 9, 1, 0).transactionAtOrBefore(gtidCheckpoint),
                "same domain after failover");
        assertTrue(!at("0-2-43", "other-bin.000001", 4, 1, 0).transactionAtOrBefore(gtidCheckpoint));
    }
}
