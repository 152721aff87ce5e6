package io.fksafe.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

/** The unvalidated write stores exactly what a put stores, and is in use with the Kafka this build runs on. */
class StructWritesTest {

    private static final Schema INNER = SchemaBuilder.struct()
            .name("inner")
            .optional()
            .field("id", Schema.INT64_SCHEMA)
            .build();
    private static final Schema OUTER = SchemaBuilder.struct()
            .name("outer")
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("n", Schema.INT32_SCHEMA)
            .field("inner", INNER)
            .build();

    @Test
    void theSlotIsReachable_soWritesSkipValidation() {
        assertTrue(StructWrites.direct(), "Kafka's Struct has no 'values' slot here: every write is a validated put");
    }

    @Test
    void storesWhatPutStores() {
        Struct inner = new Struct(INNER).put("id", 7L);
        Struct byPut = new Struct(OUTER).put("name", "a").put("n", 3).put("inner", inner);
        Struct direct = new Struct(OUTER);
        StructWrites.putBuilt(direct, OUTER.field("name"), "a");
        StructWrites.putBuilt(direct, OUTER.field("n"), 3);
        assertSame(direct, StructWrites.putBuilt(direct, OUTER.field("inner"), inner));
        assertEquals(byPut, direct);
        assertEquals(byPut.hashCode(), direct.hashCode());
        assertSame(inner, direct.getStruct("inner"));
        direct.validate(); // complete and valid, as put would have left it
        StructWrites.putBuilt(direct, OUTER.field("name"), null);
        assertEquals(null, direct.getString("name"));
    }
}
