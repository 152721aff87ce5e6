package io.fksafe.smt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import io.fksafe.change.ChangeRecord;

class ChangeRecordSchemasTest {

    private static Schema key(String table) {
        return SchemaBuilder.struct()
                .name("src." + table + ".Key")
                .field("id", Schema.INT64_SCHEMA)
                .build();
    }

    private static Schema row(String table) {
        return SchemaBuilder.struct()
                .name("src." + table + ".Value")
                .optional()
                .field("id", Schema.INT64_SCHEMA)
                .field("name", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
    }

    @Test
    void oneEnvelopePerTable_forTheSameInstancesAndForEqualOnes() {
        ChangeRecordSchemas schemas = new ChangeRecordSchemas(8);
        Schema k = key("a");
        Schema r = row("a");
        Schema envelope = schemas.envelope(k, r);
        assertEquals(ChangeRecord.envelopeSchema(k, r), envelope);
        assertSame(envelope, schemas.envelope(k, r));
        assertSame(envelope, schemas.envelope(key("a"), row("a")), "a converter that builds new but equal instances");
        assertSame(k, envelope.field(ChangeRecord.KEY).schema());
        Schema other = schemas.envelope(key("b"), row("b"));
        assertNotSame(envelope, other);
        assertSame(other, schemas.envelope(key("b"), row("b")));
        assertSame(envelope, schemas.envelope(k, r));
        Schema keyless = schemas.envelope(r, r);
        assertSame(keyless, schemas.envelope(r, r));
        assertEquals(3, schemas.size(), "a, b and the keyless pair");
    }

    @Test
    void staysBoundedWhenEveryRecordBringsNewInstances() {
        ChangeRecordSchemas schemas = new ChangeRecordSchemas(4);
        Schema first = schemas.envelope(key("t0"), row("t0"));
        for (int i = 0; i < 1_000; i++) {
            Schema k = key("t" + (i % 10));
            Schema r = row("t" + (i % 10));
            assertEquals(ChangeRecord.envelopeSchema(k, r), schemas.envelope(k, r));
        }
        assertEquals(4, schemas.size());
        assertEquals(first, schemas.envelope(key("t0"), row("t0")));
    }
}
