package io.fksafe.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.Converter;
import org.junit.jupiter.api.Test;

/** Differential: for every input, Kafka's JsonConverter and DebeziumJsonConverter give equal Connect data. */
class DebeziumJsonConverterTest {

    private static final List<Map<String, String>> CONFIGS = List.of(
            Map.of(),
            Map.of("schemas.enable", "true", "replace.null.with.default", "false"),
            Map.of("decimal.format", "NUMERIC", "schemas.cache.size", "2"));

    @Test
    void capturedDebeziumRecordsConvertExactlyAsJsonConverterDoes() {
        for (Map<String, String> config : CONFIGS) {
            for (boolean pretty : new boolean[] {false, true}) {
                List<Envelopes.Envelope> all = Envelopes.captured(pretty);
                assertTrue(all.size() > 50, "fixtures loaded: " + all.size());
                // one converter pair over the whole stream, as a task has: the schema cache sees every interleaving
                JsonConverter[] theirs = {Envelopes.jsonConverter(config, false), Envelopes.jsonConverter(config, true)
                };
                DebeziumJsonConverter[] ours = {Envelopes.ours(config, false), Envelopes.ours(config, true)};
                int tombstones = 0;
                for (Envelopes.Envelope e : all) {
                    int k = e.key() ? 1 : 0;
                    assertConverts(e.name() + " " + config + " pretty=" + pretty, e.bytes(), theirs[k], ours[k]);
                    tombstones += e.bytes() == null ? 1 : 0;
                }
                assertTrue(tombstones > 0, "the fixtures include tombstones");
                assertEquals(0, ours[0].delegated() + ours[1].delegated(), "all on the streaming path");
            }
        }
    }

    @Test
    void everyConnectTypeRoundTripsExactlyAsJsonConverterDoes() {
        Schema schema = Envelopes.everyType();
        for (Map<String, String> config : CONFIGS) {
            JsonConverter writer = Envelopes.jsonConverter(config, false);
            JsonConverter theirs = Envelopes.jsonConverter(config, false);
            DebeziumJsonConverter ours = Envelopes.ours(config, false);
            Random random = new Random(11);
            for (int i = 0; i < 2_000; i++) {
                Struct row = Envelopes.randomRow(schema, random);
                byte[] bytes = writer.fromConnectData("t", schema, row);
                assertConverts("row " + i + " " + config, bytes, theirs, ours);
            }
            assertEquals(0, ours.delegated(), "all on the streaming path");
        }
    }

    @Test
    void anIdenticalSchemaIsParsedOnceAndSharedAcrossRecords() {
        Schema schema = Envelopes.everyType();
        JsonConverter writer = Envelopes.jsonConverter(Map.of(), false);
        DebeziumJsonConverter ours = Envelopes.ours(Map.of(), false);
        Random random = new Random(3);
        SchemaAndValue first =
                ours.toConnectData("t", writer.fromConnectData("t", schema, Envelopes.randomRow(schema, random)));
        SchemaAndValue second =
                ours.toConnectData("t", writer.fromConnectData("t", schema, Envelopes.randomRow(schema, random)));
        assertEquals(schema, first.schema());
        assertSame(first.schema(), second.schema(), "the second record's schema comes from the cache");
    }

    @Test
    void fieldNamesOutOfOrderEscapedOrUnknownAreReadByTheFastPath() {
        // names are matched on their bytes in schema order first; every other spelling and order must still be read
        // here, not handed to JsonConverter, and give its result
        String schema = "{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"optional\":false,\"field\":\"n\"},"
                + "{\"type\":\"string\",\"optional\":true,\"field\":\"s\"},"
                + "{\"type\":\"string\",\"optional\":true,\"field\":\"\u00e9t\u00e9\"}],\"optional\":false}";
        List<String> payloads = List.of(
                "{\"n\":1,\"s\":\"x\",\"\u00e9t\u00e9\":\"y\"}", // schema order
                "{\"s\":\"x\",\"n\":1}", // out of order
                "{\"\\u006e\":1,\"\\u0073\":\"x\",\"\\u00e9t\\u00e9\":\"y\"}", // escaped names
                "{\"nn\":5,\"n\":1,\"s2\":\"q\",\"s\":\"x\"}", // longer names the schema does not have
                "{ \"n\" : 1 ,\n \"s\"\t:\"x\" }", // spaced
                "{\"n\":1,\"s\":\"x\",\"n\":2}", // repeated: the last wins
                "{\"n\":1}"); // missing
        JsonConverter theirs = Envelopes.jsonConverter(Map.of(), false);
        DebeziumJsonConverter ours = Envelopes.ours(Map.of(), false);
        for (String payload : payloads) {
            String input = "{\"schema\":" + schema + ",\"payload\":" + payload + "}";
            assertConverts(input, input.getBytes(StandardCharsets.UTF_8), theirs, ours);
        }
        assertEquals(0, ours.delegated(), "all read without JsonConverter");
    }

    @Test
    void unusualEnvelopesGetJsonConvertersResultOrError() {
        String payload = "{\"n\":1,\"s\":\"x\"}";
        String schema = "{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"optional\":false,\"field\":\"n\"},"
                + "{\"type\":\"string\",\"optional\":true,\"field\":\"s\"}],\"optional\":false}";
        List<String> inputs = List.of(
                "{\"payload\":" + payload + ",\"schema\":" + schema + "}", // payload first
                "{\"schema\":null,\"payload\":" + payload + "}", // schemaless envelope
                "{\"schema\":" + schema + ",\"payload\":" + payload + ",\"extra\":1}", // a third member
                "{\"schema\":" + schema + ",\"payload\":{\"n\":null}}", // null for a required field
                "{\"schema\":" + schema + ",\"payload\":{\"n\":1.5}}", // a float for an int32
                "{\"schema\":" + schema + ",\"payload\":{\"n\":1,\"s\":7}}", // a number for a string
                "{\"schema\":" + schema + ",\"payload\":{\"n\":1,\"extra\":[1,{\"a\":2}],\"s\":\"y\",\"s\":\"z\"}}",
                "{\"schema\":" + schema + ",\"payload\":[1]}", // not an object
                "{\"schema\":" + schema + ",\"payload\":" + payload + "} trailing",
                "{\"schema\":" + schema + ",\"payload\":" + payload, // truncated
                "[1,2]",
                "not json",
                "{\"schema\":{\"type\":\"int64\",\"optional\":false},\"payload\":12}",
                "{\"schema\":{\"type\":\"bytes\",\"optional\":true},\"payload\":\"AAEC\"}",
                "{\"schema\":{\"type\":\"map\",\"keys\":{\"type\":\"int32\",\"optional\":false},"
                        + "\"values\":{\"type\":\"string\",\"optional\":false},\"optional\":false},\"payload\":[[1,\"a\"],[2]]}");
        for (Map<String, String> config : List.<Map<String, String>>of(Map.of(), Map.of("schemas.enable", "false"))) {
            JsonConverter theirs = Envelopes.jsonConverter(config, false);
            DebeziumJsonConverter ours = Envelopes.ours(config, false);
            for (String input : inputs) {
                assertConverts(input + " " + config, input.getBytes(StandardCharsets.UTF_8), theirs, ours);
            }
        }
    }

    @Test
    void tombstonesAreNull() {
        assertEquals(SchemaAndValue.NULL, Envelopes.ours(Map.of(), false).toConnectData("t", null));
    }

    @Test
    void pluginDiscoveryFindsTheConverterThroughTheServiceManifest() {
        List<String> found = new ArrayList<>();
        for (Converter c : ServiceLoader.load(Converter.class)) {
            found.add(c.getClass().getName());
        }
        assertTrue(found.contains(DebeziumJsonConverter.class.getName()), found.toString());
        assertNotNull(new DebeziumJsonConverter().config().configKeys().get("replace.null.with.default"));
    }

    /** Equal results, or the same exception type and message. */
    private static void assertConverts(String what, byte[] bytes, Converter theirs, Converter ours) {
        SchemaAndValue expected;
        try {
            expected = theirs.toConnectData("t", bytes);
        } catch (RuntimeException e) {
            RuntimeException actual = null;
            try {
                ours.toConnectData("t", bytes);
            } catch (RuntimeException mine) {
                actual = mine;
            }
            assertNotNull(actual, what + ": JsonConverter failed (" + e + "), ours did not");
            assertEquals(e.getClass(), actual.getClass(), what);
            assertEquals(e.getMessage(), actual.getMessage(), what);
            return;
        }
        SchemaAndValue actual = ours.toConnectData("t", bytes);
        assertEquals(expected.schema(), actual.schema(), what + ": schema");
        if (expected.value() instanceof byte[]) {
            assertTrue(java.util.Arrays.equals((byte[]) expected.value(), (byte[]) actual.value()), what);
        } else {
            assertEquals(expected.value(), actual.value(), what + ": value");
        }
    }
}
