package io.fksafe.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The text form as checkpoints and change records carry it: what parses, to what, and what is refused. */
class SourcePositionTextTest {

    private static SourcePosition p(String gtid, String file, long pos, long event, int row, boolean snapshot) {
        return new SourcePosition(gtid, file, pos, event, row, snapshot);
    }

    private static void assertSameFields(SourcePosition expected, SourcePosition actual) {
        assertEquals(expected.format(), actual.format());
        assertEquals(expected.gtid(), actual.gtid());
        assertEquals(expected.file(), actual.file());
        assertEquals(expected.pos(), actual.pos());
        assertEquals(expected.event(), actual.event());
        assertEquals(expected.row(), actual.row());
        assertEquals(expected.snapshot(), actual.snapshot());
    }

    @Test
    void toleratesBlanksUnknownPartsAnyOrderAndTrailingSeparators() {
        SourcePosition expected = p("0-1-42", "mysql-bin.000003", 4249, 2, 1, true);
        assertSameFields(
                expected,
                SourcePosition.parse(" gtid = 0-1-42 ; file=mysql-bin.000003;pos= 4249;event=2 ;row=1;snapshot=TRUE"));
        assertSameFields(
                expected,
                SourcePosition.parse(
                        "snapshot=true;row=1;later=whatever;event=2;pos=4249;file=mysql-bin.000003;gtid=0-1-42;;"));
        assertSameFields(
                p(null, "f.000001", 7, 0, 0, false), SourcePosition.parse("gtid=;file=f.000001;pos=7;snapshot=no"));
        assertSameFields(p(null, null, 0, 0, 0, false), SourcePosition.parse(";;"));
        assertSameFields(p(null, "f.000002", 9, 0, 0, false), SourcePosition.parse("pos=1;file=f.000002;pos=9"));
        assertSameFields(p(null, null, 5, 0, 0, false), SourcePosition.parse("pos=+5"));
    }

    @Test
    void blankIsNoPosition() {
        assertNull(SourcePosition.parse(null));
        assertNull(SourcePosition.parse(""));
        assertNull(SourcePosition.parse("  "));
    }

    @Test
    void malformedPartsAreRefusedNamingTheText() {
        for (String bad : new String[] {
            "pos=1;;row=0",
            ";pos=1",
            "pos=1; ;",
            "pos",
            "gtid=0-1-5;pos=x",
            "row=1.5",
            "event=",
            "pos=99999999999999999999"
        }) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> SourcePosition.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void rowsOfOneTransactionShareTheGtidAndFileTheyWereReadWith() {
        SourcePosition first = SourcePosition.parse("gtid=0-1-42;file=mysql-bin.000003;pos=4249;event=1;row=0");
        SourcePosition second = SourcePosition.parse("gtid=0-1-42;file=mysql-bin.000003;pos=4249;event=2;row=0");
        assertSame(first.gtid(), second.gtid());
        assertSame(first.parsedGtid(), second.parsedGtid());
        assertSame(first.file(), second.file());
        // and never lend them to a position that says otherwise
        SourcePosition other = SourcePosition.parse("gtid=0-1-420;file=mysql-bin.0000031;pos=4249;event=2;row=0");
        assertSameFields(p("0-1-420", "mysql-bin.0000031", 4249, 2, 0, false), other);
        assertEquals(420, other.parsedGtid().seq());
        SourcePosition shorter = SourcePosition.parse("gtid=0-1-4;file=mysql-bin.00000;pos=1");
        assertSameFields(p("0-1-4", "mysql-bin.00000", 1, 0, 0, false), shorter);
        assertSameFields(p(null, null, 1, 0, 0, false), SourcePosition.parse("pos=1"));
    }

    @Test
    void everyFormatRoundTrips() {
        for (SourcePosition pos : new SourcePosition[] {
            p("0-1-42", "mysql-bin.000003", 4249, 2, 1, true),
            p("3e11fa47-71ca-11e1-9e33-c80aa9429562:23", "binlog.000001", 4, 0, 0, false),
            p("not a gtid", "binlog.000001", 4, 9, 3, false),
            p(null, null, 0, 0, 0, false)
        }) {
            assertSameFields(pos, SourcePosition.parse(pos.format()));
            assertEquals(pos, SourcePosition.parse(pos.format()));
        }
    }
}
