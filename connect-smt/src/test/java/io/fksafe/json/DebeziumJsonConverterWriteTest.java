package io.fksafe.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.Converter;
import org.junit.jupiter.api.Test;

/** Differential: for every value, DebeziumJsonConverter writes the bytes Kafka's JsonConverter writes, or its error. */
class DebeziumJsonConverterWriteTest {

    private static final List<Map<String, String>> CONFIGS = List.of(
            Map.of(),
            Map.of("replace.null.with.default", "false"),
            Map.of("decimal.format", "NUMERIC", "schemas.cache.size", "2"));

    @Test
    void capturedDebeziumRecordsAreWrittenAsJsonConverterWritesThem() {
        for (Map<String, String> config : CONFIGS) {
            // two readers: the second one's schemas are equal to the first's but other objects, as after a restart
            JsonConverter[] readers = {Envelopes.jsonConverter(config, false), Envelopes.jsonConverter(config, false)};
            JsonConverter[] keyReaders = {Envelopes.jsonConverter(config, true), Envelopes.jsonConverter(config, true)};
            JsonConverter[] theirs = {Envelopes.jsonConverter(config, false), Envelopes.jsonConverter(config, true)};
            DebeziumJsonConverter[] ours = {Envelopes.ours(config, false), Envelopes.ours(config, true)};
            int written = 0;
            int i = 0;
            for (Envelopes.Envelope e : Envelopes.captured(false)) {
                if (e.bytes() == null) {
                    continue;
                }
                int k = e.key() ? 1 : 0;
                SchemaAndValue data = (e.key() ? keyReaders : readers)[i++ % 2].toConnectData("t", e.bytes());
                assertWrites(e.name() + " " + config, data.schema(), data.value(), theirs[k], ours[k]);
                if (config.isEmpty()) { // JsonConverter's own bytes, read back and written again
                    assertArrayEquals(e.bytes(), ours[k].fromConnectData("t", data.schema(), data.value()), e.name());
                }
                written++;
            }
            assertTrue(written > 50, "fixtures written: " + written);
            if (!config.containsKey("decimal.format")) {
                assertEquals(0, ours[0].delegatedWrites() + ours[1].delegatedWrites(), "all on the streaming path");
            }
        }
    }

    @Test
    void everyConnectTypeIsWrittenAsJsonConverterWritesIt() {
        Schema schema = Envelopes.everyType();
        for (Map<String, String> config : CONFIGS) {
            JsonConverter theirs = Envelopes.jsonConverter(config, false);
            DebeziumJsonConverter ours = Envelopes.ours(config, false);
            Random random = new Random(13);
            for (int i = 0; i < 2_000; i++) {
                assertWrites("row " + i + " " + config, schema, Envelopes.randomRow(schema, random), theirs, ours);
            }
            if (!config.containsKey("decimal.format")) {
                assertEquals(0, ours.delegatedWrites(), "all on the streaming path");
            }
        }
    }

    @Test
    void unusualValuesGetJsonConvertersBytesOrError() {
        Schema dec = Decimal.schema(2);
        Schema row = SchemaBuilder.struct()
                .name("r")
                .field("id", Schema.INT32_SCHEMA)
                .field("note", Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Schema other = SchemaBuilder.struct()
                .name("r")
                .field("id", Schema.INT64_SCHEMA)
                .build();
        Schema defaulted = SchemaBuilder.int32().optional().defaultValue(7).build();
        Schema keyedByInt = SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA)
                .build();
        Schema keyedByString =
                SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build();
        Map<Object, Object> intKeys = new LinkedHashMap<>();
        intKeys.put(2, null);
        intKeys.put(1, "a");
        Map<Object, Object> builderKeys = new LinkedHashMap<>();
        builderKeys.put(new StringBuilder("k"), "v");
        builderKeys.put("k", "w"); // the same text twice: JsonConverter's ObjectNode keeps one, in the first place
        ByteBuffer sliced = ByteBuffer.wrap(new byte[] {1, 2, 3, 4}, 1, 2); // JsonConverter writes the whole array
        Object[][] cases = {
            {"required null", Schema.INT32_SCHEMA, null},
            {"optional null", Schema.OPTIONAL_INT32_SCHEMA, null},
            {"null with a default", defaulted, null},
            {"required field never set", row, new Struct(row)},
            {"struct of another schema", row, new Struct(other).put("id", 1L)},
            {"wrong class", Schema.INT32_SCHEMA, "x"},
            {"decimal of another scale", dec, new BigDecimal("1.234")},
            {"decimal as a double", dec, 1.5},
            {"timestamp as a long", Timestamp.SCHEMA, 5L},
            {"java.sql.Timestamp", Timestamp.SCHEMA, new java.sql.Timestamp(1_700_000_000_123L)},
            {"byte buffer slice", Schema.BYTES_SCHEMA, sliced},
            {"read-only byte buffer", Schema.BYTES_SCHEMA, sliced.asReadOnlyBuffer()},
            {"NaN", Schema.FLOAT64_SCHEMA, Double.NaN},
            {"infinity", Schema.FLOAT32_SCHEMA, Float.NEGATIVE_INFINITY},
            {"negative zero", Schema.FLOAT64_SCHEMA, -0.0d},
            {"smallest float", Schema.FLOAT32_SCHEMA, Float.MIN_VALUE},
            {"lone surrogate", Schema.STRING_SCHEMA, "a\uD800b"},
            {"control characters", Schema.STRING_SCHEMA, "\u0000\u001f\u007f\u2028"},
            {"int-keyed map", keyedByInt, intKeys},
            {"builder-keyed map", keyedByString, builderKeys},
            {"schemaless", null, "x"},
            {"tombstone", null, null},
            {"large text", Schema.STRING_SCHEMA, "é".repeat(1 << 20)},
            {"after the large text", Schema.STRING_SCHEMA, "small"},
        };
        for (Map<String, String> config : CONFIGS) {
            JsonConverter theirs = Envelopes.jsonConverter(config, false);
            DebeziumJsonConverter ours = Envelopes.ours(config, false);
            for (Object[] c : cases) {
                assertWrites(c[0] + " " + config, (Schema) c[1], c[2], theirs, ours);
            }
        }
        assertNull(Envelopes.ours(Map.of(), false).fromConnectData("t", null, null), "a tombstone stays null");
    }

    @Test
    void schemasDisabledIsJsonConvertersOwnOutput() {
        Map<String, String> config = Map.of("schemas.enable", "false");
        Schema schema = Envelopes.everyType();
        Struct value = Envelopes.randomRow(schema, new Random(5));
        byte[] expected = Envelopes.jsonConverter(config, false).fromConnectData("t", schema, value);
        assertArrayEquals(expected, Envelopes.ours(config, false).fromConnectData("t", schema, value));
    }

    @Test
    void aSchemaBuilderIsWrittenByJsonConverterItself() {
        // a builder compares by identity and can change after a record was written: no cache of ours may keep it
        SchemaBuilder builder = SchemaBuilder.struct().name("b").field("a", Schema.INT32_SCHEMA);
        Schema wrapped = SchemaBuilder.struct().field("inner", builder).build();
        JsonConverter theirs = Envelopes.jsonConverter(Map.of(), false);
        DebeziumJsonConverter ours = Envelopes.ours(Map.of(), false);
        assertWrites("builder", builder, new Struct(builder).put("a", 1), theirs, ours);
        assertWrites(
                "built around a builder",
                wrapped,
                new Struct(wrapped).put("inner", new Struct(builder).put("a", 2)),
                theirs,
                ours);
        assertEquals(2, ours.delegatedWrites());
        Schema built = builder.build();
        ours.fromConnectData("t", built, new Struct(built).put("a", 3));
        assertEquals(2, ours.delegatedWrites(), "a built schema is streamed");
    }

    @Test
    void eachRecordGetsItsOwnArray() {
        DebeziumJsonConverter ours = Envelopes.ours(Map.of(), false);
        byte[] first = ours.fromConnectData("t", Schema.STRING_SCHEMA, "one");
        byte[] second = ours.fromConnectData("t", Schema.STRING_SCHEMA, "two");
        assertNotSame(first, second);
        assertTrue(new String(first, StandardCharsets.UTF_8).endsWith("\"payload\":\"one\"}"));
    }

    /** The same bytes, or the same exception type and message. */
    static void assertWrites(String what, Schema schema, Object value, Converter theirs, Converter ours) {
        byte[] expected;
        try {
            expected = theirs.fromConnectData("t", schema, value);
        } catch (RuntimeException e) {
            RuntimeException actual = null;
            try {
                ours.fromConnectData("t", schema, value);
            } catch (RuntimeException mine) {
                actual = mine;
            }
            assertNotNull(actual, what + ": JsonConverter failed (" + e + "), ours did not");
            assertEquals(e.getClass(), actual.getClass(), what);
            assertEquals(e.getMessage(), actual.getMessage(), what);
            return;
        }
        byte[] actual = ours.fromConnectData("t", schema, value);
        if (expected == null) {
            assertNull(actual, what);
            return;
        }
        assertArrayEquals(
                expected,
                actual,
                () -> what + ":\n  expected " + new String(expected, StandardCharsets.UTF_8) + "\n  actual   "
                        + (actual == null ? null : new String(actual, StandardCharsets.UTF_8)));
    }
}
