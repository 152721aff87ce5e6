package io.fksafe.change;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;

import org.junit.jupiter.api.Test;

class OpTest {

    @Test
    void everyOpRoundTripsThroughItsLowerCaseWireName() {
        for (Op op : Op.values()) {
            assertEquals(op.name().toLowerCase(Locale.ROOT), op.wireName());
            assertEquals(op, Op.fromWireName(op.wireName()));
        }
    }

    @Test
    void otherCasesAreReadAsBefore() {
        for (Op op : Op.values()) {
            assertEquals(op, Op.fromWireName(op.name()));
            String mixed = op.name().charAt(0) + op.wireName().substring(1);
            assertEquals(op, Op.fromWireName(mixed), mixed);
        }
    }

    @Test
    void unknownAndMissingOpsAreRefused() {
        for (String bad : new String[] {"", "upsert", " insert", "insert ", "key-update", "c"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Op.fromWireName(bad));
            assertEquals("unknown change record op '" + bad + "'", e.getMessage());
        }
        assertEquals(
                "change record has no 'op'",
                assertThrows(IllegalArgumentException.class, () -> Op.fromWireName(null))
                        .getMessage());
    }
}
