package io.fksafe.smt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import io.fksafe.change.SourcePosition;

class SafeModeWindowsTest {

    private static final String KEY = "safe.mode.windows";

    private static SafeModeWindows windows(String... ranges) {
        return SafeModeWindows.parse(KEY, List.of(ranges));
    }

    private static SourcePosition at(String gtid, String file, long pos, long event, int row) {
        return new SourcePosition(gtid, file, pos, event, row, false);
    }

    @Test
    void fileRangeIsInclusiveAndSpansRotation() {
        SafeModeWindows w = windows("file=mysql-bin.000009;pos=4;row=0..file=mysql-bin.000010;pos=9000;row=0");
        assertFalse(w.contains(at(null, "mysql-bin.000008", 99_999, 1, 0)));
        assertTrue(w.contains(at(null, "mysql-bin.000009", 4, 0, 0)));
        assertTrue(w.contains(at(null, "mysql-bin.000009", 70_000, 3, 2)));
        assertTrue(w.contains(at(null, "mysql-bin.000010", 120, 1, 0)));
        assertTrue(w.contains(at(null, "mysql-bin.000010", 9000, 0, 0)));
        assertFalse(w.contains(at(null, "mysql-bin.000010", 9000, 1, 0))); // a later change of that transaction
        assertFalse(w.contains(at(null, "mysql-bin.000011", 4, 0, 0)));
    }

    @Test
    void fileRangeIgnoresTheEventsGtid() {
        SafeModeWindows w = windows("file=mysql-bin.000003;pos=4;row=0..file=mysql-bin.000003;pos=9000;row=0");
        assertTrue(w.contains(at("0-1-999", "mysql-bin.000003", 500, 1, 0)));
        assertFalse(w.contains(at("0-1-999", null, 500, 1, 0)));
    }

    @Test
    void mariaDbGtidRangeMatchesItsDomainOnlyWhateverTheServer() {
        SafeModeWindows w = windows("0-1-100..0-1-250");
        assertTrue(w.contains(at("0-1-100", "mysql-bin.000001", 4, 1, 0)));
        assertTrue(w.contains(at("0-2-180", "other-bin.000001", 4, 1, 0))); // failed over to server 2
        assertTrue(w.contains(at("0-1-250", "mysql-bin.000001", 4, 3, 0)));
        assertFalse(w.contains(at("0-1-251", "mysql-bin.000001", 4, 1, 0)));
        assertFalse(w.contains(at("1-1-150", "mysql-bin.000001", 4, 1, 0))); // another domain
        assertFalse(w.contains(at(null, "mysql-bin.000001", 4, 1, 0)));
    }

    @Test
    void mysqlGtidRangeAcceptsBareAndPositionForms() {
        String uuid = "3E11FA47-71CA-11E1-9E33-C80AA9429562";
        SafeModeWindows w = windows("gtid=" + uuid + ":10.." + uuid + ":99");
        assertTrue(w.contains(at(uuid.toLowerCase() + ":10", "binlog.000001", 4, 1, 0)));
        assertTrue(w.contains(at(uuid + ":99", "binlog.000001", 4, 1, 0)));
        assertFalse(w.contains(at(uuid + ":100", "binlog.000001", 4, 1, 0)));
        assertFalse(w.contains(at("aaaaaaaa-71ca-11e1-9e33-c80aa9429562:50", "binlog.000001", 4, 1, 0)));
    }

    @Test
    void anyOfSeveralRangesMarks() {
        SafeModeWindows w =
                windows("0-1-1..0-1-5", "file=mysql-bin.000002;pos=4;row=0..file=mysql-bin.000002;pos=400;row=0");
        assertTrue(w.contains(at("0-1-3", "mysql-bin.000001", 4, 1, 0)));
        assertTrue(w.contains(at("0-1-30", "mysql-bin.000002", 385, 1, 0)));
        assertFalse(w.contains(at("0-1-31", "mysql-bin.000002", 660, 1, 0)));
        assertFalse(w.contains(null));
    }

    @Test
    void malformedRangesNameTheKeyTheRangeAndTheFix() {
        assertInvalid("0-1-100", "FROM..TO");
        assertInvalid("0-1-5..0-1-1", "swap the bounds");
        assertInvalid("file=mysql-bin.000002;pos=9;row=0..file=mysql-bin.000002;pos=4;row=0", "swap the bounds");
        assertInvalid("0-1-5..1-1-9", "one MariaDB domain");
        assertInvalid("file=mysql-bin.000002;pos=4;row=0..0-1-9", "both a GTID");
        assertInvalid("nonsense..0-1-9", "neither a position");
        assertInvalid("file=x;pos=abc..file=x;pos=5", "pos is not a number");
        assertInvalid("..0-1-9", "both FROM and TO");
    }

    private static void assertInvalid(String range, String fix) {
        ConfigException e = assertThrows(ConfigException.class, () -> windows(range));
        assertTrue(e.getMessage().contains(KEY), e.getMessage());
        assertTrue(e.getMessage().contains(range), e.getMessage());
        assertTrue(e.getMessage().contains(fix), e.getMessage());
    }

    @Test
    void blankEntriesAreIgnored() {
        assertEquals(true, windows("", " ").isEmpty());
    }
}
