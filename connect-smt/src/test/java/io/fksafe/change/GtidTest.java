package io.fksafe.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class GtidTest {

    private static final String UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    @Test
    void mariaDb() {
        Gtid g = Gtid.parse("0-1-42");
        assertEquals("0", g.stream());
        assertEquals(42, g.seq());
        assertEquals("0-1-42", g.text());
        assertEquals("0-1-42", g.toString());
        assertEquals(Gtid.parse("000-01-042"), g);
        assertEquals("7", Gtid.parse("07-3-1").stream());
        assertEquals(
                Long.MAX_VALUE,
                Gtid.parse("4294967295-4294967295-" + Long.MAX_VALUE).seq());
        assertNotEquals(Gtid.parse("0-2-42"), g, "another server's transaction 42");
        assertTrue(Gtid.parse("0-2-42").sameStream(g));
        assertFalse(Gtid.parse("1-1-42").sameStream(g));
    }

    @Test
    void mysql() {
        Gtid g = Gtid.parse(UUID + ":23");
        assertEquals(UUID, g.stream());
        assertEquals(23, g.seq());
        Gtid upper = Gtid.parse(UUID.toUpperCase() + ":23");
        assertEquals(g, upper);
        assertEquals(g.hashCode(), upper.hashCode());
        assertEquals(UUID.toUpperCase() + ":23", upper.text(), "the text stays as written");
        Gtid tagged = Gtid.parse(UUID + ":Nightly_Batch2:7");
        assertEquals(UUID + ":nightly_batch2", tagged.stream());
        assertEquals(7, tagged.seq());
        assertFalse(tagged.sameStream(g));
        assertTrue(Gtid.parse(UUID + ":_:1").sameStream(Gtid.parse(UUID + ":_:2")));
    }

    @Test
    void notOneGtid() {
        for (String text : List.of(
                "",
                "0",
                "0-1",
                "0-1-",
                "-1-5",
                "0--5",
                "0-1-5-6",
                "0-1-5,1-1-9",
                " 0-1-5",
                "0-1-5 ",
                "0-1-+5",
                "0-1--5",
                "x-1-5",
                "0-x-5",
                "0-1-99999999999999999999",
                UUID,
                UUID + ":",
                UUID + ":1-5",
                UUID + ":1:2",
                UUID + ":-5",
                UUID + ":+5",
                UUID + ":" + "t".repeat(33) + ":1",
                UUID + ":1tag:1",
                UUID + ":ta-g:1",
                UUID + "0:5",
                UUID.substring(1) + ":5",
                UUID.replace('e', 'g') + ":5",
                UUID.replace('-', '_') + ":5",
                ":5",
                "abc:5",
                UUID + "," + UUID + ":5")) {
            assertNull(Gtid.parse(text), text);
        }
        assertNull(Gtid.parse(null));
    }

    @Test
    void theLastParsedIsReusedOnlyForTheSameText() {
        Gtid a = Gtid.parse("0-1-42");
        assertTrue(a == Gtid.parse("0-1-42"));
        assertEquals(420, Gtid.parse("0-1-420").seq());
        assertEquals(42, Gtid.parse("0-1-42").seq());
        assertNull(Gtid.parse("0-1-4x"));
        assertEquals(42, Gtid.parse("0-1-42").seq());
    }
}
