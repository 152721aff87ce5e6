package io.fksafe.smt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Map;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

/** Old keys arrive as whatever the header converter made of them; they must come back in the key's types. */
class StructCoercionTest {

    private static final Schema KEY = SchemaBuilder.struct()
            .name("k")
            .field("i", Schema.INT32_SCHEMA)
            .field("l", Schema.INT64_SCHEMA)
            .field("d", Decimal.schema(2))
            .field("day", Date.SCHEMA)
            .field("b", Schema.BYTES_SCHEMA)
            .field("s", Schema.STRING_SCHEMA)
            .build();

    @Test
    void mapWithNarrowedNumbersAndJsonEncodings() {
        Struct key = StructCoercion.toStruct(
                Map.of("i", (byte) 3, "l", (short) 7, "d", "12.5", "day", 19_000, "b", "AQI=", "s", "x"),
                KEY,
                "header");
        assertEquals(3, key.get("i"));
        assertEquals(7L, key.get("l"));
        assertEquals(new BigDecimal("12.50"), key.get("d"));
        assertEquals(new java.util.Date(19_000L * 86_400_000L), key.get("day"));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) key.get("b"));
        assertEquals("x", key.get("s"));
    }

    @Test
    void textIsParsedLikeSimpleHeaderConverterDoes() {
        Schema k = SchemaBuilder.struct()
                .name("k")
                .field("code", Schema.STRING_SCHEMA)
                .field("n", Schema.INT64_SCHEMA)
                .build();
        Struct key = StructCoercion.toStruct("{\"code\":\"a\",\"n\":1}", k, "header");
        assertEquals("a", key.get("code"));
        assertEquals(1L, key.get("n"));
    }

    @Test
    void structOfTheSameSchemaIsReturnedAsIs() {
        Schema k = SchemaBuilder.struct()
                .name("k")
                .field("id", Schema.INT32_SCHEMA)
                .build();
        Struct s = new Struct(k).put("id", 1);
        assertSame(s, StructCoercion.toStruct(s, k, "key"));
    }

    @Test
    void missingFieldAndGarbageNameWhatIsWrong() {
        Schema k = SchemaBuilder.struct()
                .name("k")
                .field("id", Schema.INT32_SCHEMA)
                .build();
        DataException missing = assertThrows(
                DataException.class,
                () -> StructCoercion.toStruct(Map.of("other", 1), k, "header '__debezium.oldkey'"));
        assertTrue(missing.getMessage().contains("header '__debezium.oldkey' has no field 'id'"), missing.getMessage());
        DataException garbage = assertThrows(DataException.class, () -> StructCoercion.toStruct("42", k, "header"));
        assertTrue(garbage.getMessage().contains("does not parse"), garbage.getMessage());
        assertThrows(DataException.class, () -> StructCoercion.toStruct(Map.of("id", "abc"), k, "header"));
    }
}
