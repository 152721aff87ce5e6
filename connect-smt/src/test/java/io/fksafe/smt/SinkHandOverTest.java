package io.fksafe.smt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.HandOverProbe;
import io.fksafe.change.Op;

/**
 * Every captured MariaDB event through the transform: its record waits for the sink on this thread, and what the sink
 * takes back equals, field by field, what it would decode from the Struct.
 */
class SinkHandOverTest {

    private final DebeziumToChangeRecord<SinkRecord> smt = new DebeziumToChangeRecord<>();

    @AfterEach
    void close() {
        smt.close();
    }

    @Test
    void everyCapturedEventIsHandedOver_andEqualsItsDecode() {
        smt.configure(Map.of("truncate.handling", "skip")); // the fixtures hold a truncate
        int handed = 0;
        for (SinkRecord in : DebeziumFixtures.all()) {
            SinkRecord out = smt.apply(in);
            if (out == null) {
                continue;
            }
            Struct s = (Struct) out.value();
            String where = "offset " + in.kafkaOffset();
            boolean waiting = HandOverProbe.waiting(s);
            ChangeRecord taken = ChangeRecord.fromStruct(s);
            ChangeRecord decoded = ChangeRecord.fromStruct(s); // taken once: this one is read from the Struct
            if (taken.op() == Op.KEY_UPDATE) {
                // old_key sits in the envelope under an optional copy of the key schema: decoded, as before
                assertFalse(waiting, where);
                continue;
            }
            assertTrue(waiting, where + ": " + taken);
            assertNotSame(taken, decoded, where);
            assertEquals(ExpectedChange.of(decoded), ExpectedChange.of(taken), where);
            assertEquals(decoded.position(), taken.position(), where);
            assertEquals(decoded.sourceTsMs(), taken.sourceTsMs(), where);
            handed++;
        }
        assertTrue(handed > 20, "only " + handed + " records handed over");
    }

    @Test
    void closingTheTransformForgetsWhatNoSinkTook() {
        smt.configure(Map.of());
        Struct s = null;
        for (SinkRecord in : DebeziumFixtures.load("insert")) {
            SinkRecord out = smt.apply(in);
            if (out != null) {
                s = (Struct) out.value();
            }
        }
        assertTrue(HandOverProbe.waiting(s));
        smt.close();
        assertFalse(HandOverProbe.waiting(s));
    }
}
