package io.fksafe.json;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.DecimalFormat;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.ConverterType;
import org.apache.kafka.connect.storage.StringConverterConfig;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * A drop-in for Kafka's JsonConverter, for JSON-with-schema envelopes ({@code {"schema":…,"payload":…}}), at a
 * fraction of its cost on both sides. Reading (a sink): the schema part is looked up by its bytes (parsed once, by
 * JsonConverter itself, when new) and the payload is streamed into the Struct without a JSON tree, giving exactly
 * the Connect data JsonConverter gives. Writing (a source such as Debezium): the schema's JSON is JsonConverter's
 * own, kept as bytes per schema, and the payload is streamed, giving exactly JsonConverter's bytes
 * ({@link EnvelopeWriter}). Same configuration keys and defaults as JsonConverter. Everything else
 * (schemas.enable=false, schema.content, envelopes laid out differently from what JsonConverter writes, any value
 * either stream does not expect) goes to an inner JsonConverter, so the results and errors are JsonConverter's own.
 */
public class DebeziumJsonConverter implements Converter, Versioned {

    private static final JsonFactory JSON = new JsonFactory();
    /** JsonConverter's own reading setup, for schema trees handed to it. */
    private static final ObjectMapper SCHEMA_READER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private static final byte[] SCHEMA_KEY = "\"schema\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] PAYLOAD_KEY = "\"payload\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final String VERSION = loadVersion();

    private final JsonConverter inner = new JsonConverter();
    private boolean fast;
    private SchemaCache schemas;
    private PayloadReader payloads;
    private EnvelopeWriter envelopes;
    private long delegated;
    private long delegatedWrites;

    @Override
    public ConfigDef config() {
        return JsonConverterConfig.configDef();
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> conf = new HashMap<>(configs);
        conf.put(
                StringConverterConfig.TYPE_CONFIG, isKey ? ConverterType.KEY.getName() : ConverterType.VALUE.getName());
        JsonConverterConfig config = new JsonConverterConfig(conf);
        inner.configure(conf);
        fast = config.schemasEnabled() && config.schemaContent() == null;
        schemas = new SchemaCache(config.schemaCacheSize());
        payloads = new PayloadReader(config.replaceNullWithDefault());
        envelopes = config.schemasEnabled()
                ? new EnvelopeWriter(
                        inner,
                        new PayloadWriter(
                                config.replaceNullWithDefault(), config.decimalFormat() == DecimalFormat.BASE64),
                        config.schemaCacheSize())
                : null;
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        if (envelopes != null && schema != null) {
            try {
                return envelopes.write(schema, value);
            } catch (IOException | RuntimeException e) { // PayloadWriter's Unusual included
                // a value the stream does not expect: JsonConverter writes it, or fails with its own error
            }
        }
        if (schema != null) {
            delegatedWrites++;
        }
        return inner.fromConnectData(topic, schema, value);
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL; // a tombstone
        }
        if (fast) {
            try {
                SchemaAndValue result = envelope(value);
                if (result != null) {
                    return result;
                }
            } catch (IOException | RuntimeException e) { // Unusual included
                // not the layout or values JsonConverter writes: let it decide, with its own result or error
            }
        }
        delegated++;
        return inner.toConnectData(topic, value);
    }

    /** How many records went to the inner JsonConverter (for tests: the captured ones never should). */
    long delegated() {
        return delegated;
    }

    /** How many values with a schema the inner JsonConverter wrote (for tests, as {@link #delegated()}). */
    long delegatedWrites() {
        return delegatedWrites;
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public String version() {
        return VERSION;
    }

    private static String loadVersion() {
        try (java.io.InputStream in =
                DebeziumJsonConverter.class.getResourceAsStream("/io/fksafe/smt/version.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The envelope as JsonConverter lays it out ({"schema":S,"payload":P}, any whitespace), or null if not. */
    private SchemaAndValue envelope(byte[] b) throws IOException {
        int end = b.length;
        int pos = skipSpace(b, 0, end);
        if (pos >= end || b[pos] != '{') {
            return null;
        }
        pos = expect(b, skipSpace(b, pos + 1, end), end, SCHEMA_KEY);
        if (pos < 0 || (pos = skipSpace(b, pos, end)) >= end || b[pos] != ':') {
            return null;
        }
        int schemaStart = skipSpace(b, pos + 1, end);
        if (schemaStart >= end || b[schemaStart] != '{') {
            return null; // "schema": null (schemaless) or not an object
        }
        SchemaCache.Entry entry = schemas.matchPrefix(b, schemaStart, end);
        int schemaEnd;
        if (entry != null) {
            schemaEnd = schemaStart + entry.bytes.length;
        } else {
            schemaEnd = objectEnd(b, schemaStart, end);
            entry = schemas.lookup(b, schemaStart, schemaEnd);
            if (entry == null) {
                JsonNode tree = SCHEMA_READER.readTree(b, schemaStart, schemaEnd - schemaStart);
                entry = schemas.put(b, schemaStart, schemaEnd, inner.asConnectSchema(tree));
            }
        }
        pos = skipSpace(b, schemaEnd, end);
        if (pos >= end || b[pos] != ',') {
            return null;
        }
        pos = expect(b, skipSpace(b, pos + 1, end), end, PAYLOAD_KEY);
        if (pos < 0 || (pos = skipSpace(b, pos, end)) >= end || b[pos] != ':') {
            return null;
        }
        int payloadStart = pos + 1;
        int close = end - 1;
        while (close > payloadStart && isSpace(b[close])) {
            close--;
        }
        if (b[close] != '}') {
            return null;
        }
        try (JsonParser p = JSON.createParser(b, payloadStart, close - payloadStart)) {
            Object v = payloads.read(p, entry.schema, entry.names);
            if (p.nextToken() != null) {
                return null; // the payload is not the envelope's last member
            }
            return new SchemaAndValue(entry.schema, v);
        }
    }

    /** Where the JSON object starting at {@code from} ends (one past its closing brace). */
    private static int objectEnd(byte[] b, int from, int end) throws IOException {
        try (JsonParser p = JSON.createParser(b, from, end - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("schema is not an object");
            }
            p.skipChildren();
            return from + (int) p.currentLocation().getByteOffset();
        }
    }

    private static int expect(byte[] b, int pos, int end, byte[] literal) {
        if (pos + literal.length > end) {
            return -1;
        }
        for (int i = 0; i < literal.length; i++) {
            if (b[pos + i] != literal[i]) {
                return -1;
            }
        }
        return pos + literal.length;
    }

    private static int skipSpace(byte[] b, int pos, int end) {
        while (pos < end && isSpace(b[pos])) {
            pos++;
        }
        return pos;
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }
}
