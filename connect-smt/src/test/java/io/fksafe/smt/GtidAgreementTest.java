package io.fksafe.smt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import io.fksafe.change.SourcePosition;

/**
 * The SMT's safe-mode windows and the sink's duplicate check must read a GTID alike: a window that says two GTIDs are
 * one transaction, or that one comes before the other, and a source position that says otherwise would mark a replay
 * safe in the SMT while the sink drops or re-applies it by another rule.
 *
 * <p>Binlog files are chosen to order the other way round, so a position that fails to read the GTID and falls back
 * to file/pos gets the wrong answer.
 */
class GtidAgreementTest {

    private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    private static SafeModeWindows window(String from, String to) {
        return SafeModeWindows.parse("safe.mode.windows", List.of(from + ".." + to));
    }

    private static SourcePosition at(String gtid, String file) {
        return new SourcePosition(gtid, file, 4, 1, 0, false);
    }

    /** Two spellings of one GTID: the window holds both, and both positions are one transaction. */
    private static void assertSameTransaction(String a, String b) {
        assertTrue(window(a, a).contains(at(b, "mysql-bin.000001")), "window " + a + " holds " + b);
        assertTrue(window(b, b).contains(at(a, "mysql-bin.000001")), "window " + b + " holds " + a);
        SourcePosition pa = at(a, "mysql-bin.000002");
        SourcePosition pb = at(b, "mysql-bin.000001");
        assertTrue(pa.sameTransaction(pb), a + " and " + b + " are one transaction");
        assertTrue(
                pa.transactionAtOrBefore(pb) && pb.transactionAtOrBefore(pa), a + " and " + b + " are at each other");
        assertFalse(
                pa.transactionBefore(pb) || pb.transactionBefore(pa), a + " and " + b + " are not before each other");
        assertEquals(pa, at(b, "mysql-bin.000002"), "one position, whichever spelling");
        assertEquals(pa.hashCode(), at(b, "mysql-bin.000002").hashCode());
    }

    /** {@code earlier} comes first in its stream whatever the files say, in the window and in the positions. */
    private static void assertBefore(String earlier, String later) {
        SafeModeWindows upToEarlier = window(earlier, earlier);
        assertTrue(upToEarlier.contains(at(earlier, "mysql-bin.000001")));
        assertFalse(upToEarlier.contains(at(later, "mysql-bin.000001")), "window " + earlier + " leaves out " + later);
        assertTrue(window(earlier, later).contains(at(later, "mysql-bin.000001")), "window " + earlier + ".." + later);
        SourcePosition e = at(earlier, "mysql-bin.000009");
        SourcePosition l = at(later, "mysql-bin.000001");
        assertTrue(e.transactionBefore(l), earlier + " before " + later);
        assertFalse(l.transactionAtOrBefore(e), later + " not at or before " + earlier);
        assertTrue(e.compareTo(l) < 0 && l.compareTo(e) > 0, earlier + " sorts before " + later);
    }

    @Test
    void mysqlUuidCaseDoesNotMatter() {
        assertSameTransaction(UUID + ":23", UUID.toUpperCase() + ":23");
        assertBefore(UUID.toUpperCase() + ":9", UUID + ":10");
        assertBefore(UUID + ":9", UUID.toUpperCase() + ":10");
    }

    @Test
    void mysqlTagCaseDoesNotMatter() {
        // MySQL 8.4 tagged GTIDs: uuid:tag:n, tags compare case-insensitively
        assertSameTransaction(UUID + ":batch_1:5", UUID.toUpperCase() + ":BATCH_1:5");
        assertBefore(UUID + ":BATCH_1:5", UUID + ":batch_1:6");
    }

    @Test
    void mysqlTaggedAndUntaggedAreDifferentStreams() {
        assertFalse(window(UUID + ":1", UUID + ":99").contains(at(UUID + ":tag:50", "mysql-bin.000001")));
        assertFalse(at(UUID + ":tag:50", "f.000001").sameTransaction(at(UUID + ":50", "f.000001")));
    }

    @Test
    void mariaDbDomainIsANumber() {
        assertSameTransaction("0-1-5", "00-1-5");
        assertSameTransaction("7-12-100", "07-012-0100");
        assertBefore("00-1-9", "0-1-10");
        assertBefore("0-1-9", "000-2-10"); // failed over to server 2, same domain
    }

    @Test
    void mariaDbServerIdTellsTransactionsApartButDoesNotOrder() {
        // without gtid_strict_mode two servers of one domain can write the same sequence number
        assertFalse(at("0-1-5", "f.000001").sameTransaction(at("0-2-5", "f.000001")));
        assertTrue(window("0-1-5", "0-1-5").contains(at("0-2-5", "f.000001")), "windows order by domain and sequence");
        // two transactions the GTID cannot order: the binlog does, and not both ways
        assertTrue(at("0-2-5", "f.000001").transactionBefore(at("0-1-5", "f.000002")));
        assertFalse(at("0-1-5", "f.000002").transactionBefore(at("0-2-5", "f.000001")));
    }

    @Test
    void oneParserRejectsWhatIsNotAGtid_windowsSayWhy_positionsFallBackToTheBinlog() {
        for (String notAGtid :
                List.of("0-x-5", "0-1", "0-1-5-6", "x-1-5", UUID + ":1-5", UUID + ":", ":5", UUID + ":-5", "0-1-+5")) {
            assertThrows(ConfigException.class, () -> window(notAGtid, notAGtid), notAGtid);
            // a position with such a GTID orders by its binlog coordinates, against a GTID of any stream
            for (String gtid : List.of("0-1-1", "0-1-99", UUID + ":1", UUID + ":99")) {
                assertTrue(at(notAGtid, "mysql-bin.000001").transactionBefore(at(gtid, "mysql-bin.000002")), notAGtid);
                assertFalse(
                        at(notAGtid, "mysql-bin.000002").transactionAtOrBefore(at(gtid, "mysql-bin.000001")), notAGtid);
            }
        }
    }

    @Test
    void streamsAreComparedOnlyWithinThemselves() {
        assertFalse(window("0-1-1", "0-1-99").contains(at("1-1-50", "f.000001")), "another domain");
        SourcePosition d0 = at("0-1-50", "mysql-bin.000002");
        SourcePosition d1 = at("1-1-10", "mysql-bin.000001");
        assertTrue(d1.transactionBefore(d0), "across domains the binlog decides");
    }
}
