package io.fksafe.json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.json.JsonConverter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Envelope bytes for the converter tests: the captured Debezium MariaDB records and generated every-type Structs. */
final class Envelopes {

    static final List<String> FIXTURES = List.of(
            "snapshot",
            "insert",
            "multi-row-insert",
            "update",
            "key-change",
            "key-change-composite",
            "delete",
            "transaction",
            "rotation",
            "truncate",
            "schema-change",
            "after-schema-change");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One captured key or value: its name for messages, whether it is a key, and its bytes (null: tombstone). */
    record Envelope(String name, boolean key, byte[] bytes) {}

    private Envelopes() {}

    /** Every captured key and value, compact as JsonConverter writes them and (if {@code pretty}) re-indented. */
    static List<Envelope> captured(boolean pretty) {
        List<Envelope> out = new ArrayList<>();
        for (String fixture : FIXTURES) {
            JsonNode root = read(fixture);
            int i = 0;
            for (JsonNode r : root.get("records")) {
                out.add(new Envelope(fixture + "#" + i + ".key", true, bytes(r.get("key"), pretty)));
                out.add(new Envelope(fixture + "#" + i + ".value", false, bytes(r.get("value"), pretty)));
                i++;
            }
        }
        return out;
    }

    /** A struct schema with every Connect type and logical type, optional fields, defaults and metadata. */
    static Schema everyType() {
        Schema inner = SchemaBuilder.struct()
                .name("io.fksafe.test.Inner")
                .version(3)
                .doc("nested")
                .field("n", Schema.INT32_SCHEMA)
                .field("s", Schema.OPTIONAL_STRING_SCHEMA)
                .optional()
                .build();
        return SchemaBuilder.struct()
                .name("io.fksafe.test.Row")
                .version(2)
                .doc("every type")
                .parameter("origin", "generated")
                .parameter("k", "v")
                .field("b", Schema.BOOLEAN_SCHEMA)
                .field("i8", Schema.INT8_SCHEMA)
                .field("i16", Schema.OPTIONAL_INT16_SCHEMA)
                .field("i32", Schema.INT32_SCHEMA)
                .field("i64", Schema.INT64_SCHEMA)
                .field("f32", Schema.FLOAT32_SCHEMA)
                .field("f64", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field("str", Schema.OPTIONAL_STRING_SCHEMA)
                .field("bytes", Schema.OPTIONAL_BYTES_SCHEMA)
                .field("dec", Decimal.builder(2).optional().build())
                .field("dec0", Decimal.schema(0))
                .field("date", Date.builder().optional().build())
                .field("time", Time.SCHEMA)
                .field("ts", Timestamp.builder().optional().build())
                .field(
                        "defaulted",
                        SchemaBuilder.int32().optional().defaultValue(42).build())
                .field(
                        "defaultedStr",
                        SchemaBuilder.string()
                                .optional()
                                .defaultValue("dflt")
                                .doc("d")
                                .build())
                .field(
                        "named",
                        SchemaBuilder.string()
                                .name("io.debezium.data.Enum")
                                .version(1)
                                .parameter("allowed", "a,b")
                                .optional()
                                .build())
                .field("inner", inner)
                .field(
                        "ints",
                        SchemaBuilder.array(Schema.OPTIONAL_INT64_SCHEMA)
                                .optional()
                                .build())
                .field("inners", SchemaBuilder.array(inner).optional().build())
                .field(
                        "smap",
                        SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_INT32_SCHEMA)
                                .optional()
                                .build())
                .field(
                        "imap",
                        SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA)
                                .optional()
                                .build())
                .field(
                        "decs",
                        SchemaBuilder.array(Decimal.builder(3).optional().build())
                                .optional()
                                .build())
                .build();
    }

    /** A seeded random value of {@link #everyType()}, nulls included where optional. */
    static Struct randomRow(Schema schema, Random r) {
        Struct s = new Struct(schema);
        s.put("b", r.nextBoolean());
        s.put("i8", (byte) r.nextInt());
        s.put("i16", r.nextInt(4) == 0 ? null : (short) r.nextInt());
        s.put("i32", r.nextInt());
        s.put("i64", r.nextInt(3) == 0 ? (long) r.nextInt(100) : r.nextLong());
        s.put("f32", r.nextInt(3) == 0 ? (float) r.nextInt(1000) : r.nextFloat() * 1e6f - 5e5f);
        s.put("f64", r.nextInt(4) == 0 ? null : r.nextInt(3) == 0 ? 1e300 * r.nextDouble() : r.nextGaussian());
        s.put("str", r.nextInt(4) == 0 ? null : text(r));
        byte[] bytes = new byte[r.nextInt(20)];
        r.nextBytes(bytes);
        s.put("bytes", r.nextInt(4) == 0 ? null : bytes);
        s.put("dec", r.nextInt(4) == 0 ? null : new BigDecimal(new BigInteger(80, r), 2).negate());
        s.put("dec0", new BigDecimal(BigInteger.valueOf(r.nextInt()), 0));
        s.put("date", r.nextInt(4) == 0 ? null : new java.util.Date(86_400_000L * r.nextInt(40_000)));
        s.put("time", new java.util.Date(r.nextInt(86_400_000)));
        s.put("ts", r.nextInt(4) == 0 ? null : new java.util.Date(r.nextLong() >> 20));
        s.put("defaulted", r.nextBoolean() ? null : r.nextInt());
        s.put("defaultedStr", r.nextBoolean() ? null : text(r));
        s.put("named", r.nextBoolean() ? "a" : null);
        Schema innerSchema = schema.field("inner").schema();
        s.put("inner", r.nextInt(3) == 0 ? null : inner(innerSchema, r));
        if (r.nextInt(4) != 0) {
            List<Long> ints = new ArrayList<>();
            for (int i = r.nextInt(5); i > 0; i--) {
                ints.add(r.nextInt(5) == 0 ? null : r.nextLong());
            }
            s.put("ints", ints);
            s.put("inners", List.of(inner(innerSchema, r), inner(innerSchema, r)));
            Map<String, Integer> smap = new HashMap<>();
            smap.put("k" + r.nextInt(9), r.nextInt());
            smap.put("null", null);
            s.put("smap", smap);
            s.put("imap", Map.of(r.nextInt(), text(r)));
            s.put("decs", Arrays.asList(new BigDecimal(BigInteger.valueOf(r.nextLong()), 3), null));
        }
        return s;
    }

    private static Struct inner(Schema schema, Random r) {
        return new Struct(schema).put("n", r.nextInt()).put("s", r.nextBoolean() ? null : text(r));
    }

    private static String text(Random r) {
        String[] parts = {"a", "ä", "\"q\"", "back\\slash", "tab\t", "nl\n", "😀", "日本", "\u0001", " "};
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(6); i > 0; i--) {
            b.append(parts[r.nextInt(parts.length)]);
        }
        return b.toString();
    }

    static JsonConverter jsonConverter(Map<String, ?> config, boolean isKey) {
        JsonConverter c = new JsonConverter();
        c.configure(config, isKey);
        return c;
    }

    static DebeziumJsonConverter ours(Map<String, ?> config, boolean isKey) {
        DebeziumJsonConverter c = new DebeziumJsonConverter();
        c.configure(config, isKey);
        return c;
    }

    private static JsonNode read(String name) {
        String path = "/debezium/mariadb/" + name + ".json";
        try (InputStream in = Envelopes.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + path);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(JsonNode node, boolean pretty) {
        try {
            if (node == null || node.isNull()) {
                return null;
            }
            return pretty
                    ? JSON.writerWithDefaultPrettyPrinter()
                            .writeValueAsString(node)
                            .getBytes(StandardCharsets.UTF_8)
                    : JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
