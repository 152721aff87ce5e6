package io.fksafe.json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.json.JsonConverter;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes {@code {"schema":S,"payload":P}} as JsonConverter does, without building a JSON tree per record: S is
 * JsonConverter's own schema JSON, serialised once per schema and kept as bytes, and P is streamed by
 * {@link PayloadWriter}. A task's records share a few Schema objects (Debezium builds one per table version), so the
 * lookup is by identity first; an equal schema in another object is found in an LRU map of
 * {@code schemas.cache.size} entries, as JsonConverter's own cache finds it. One instance per converter, used by the
 * one task thread that converts.
 */
final class EnvelopeWriter {

    private static final int RECENT = 8;
    private static final int MAX_KEPT = 1 << 20;
    private static final JsonFactory JSON = new JsonFactory();
    /** Serialises schema trees as JsonConverter's serializer does (a default ObjectMapper; its modules touch POJOs only). */
    private static final ObjectMapper TREES = new ObjectMapper();

    private static final byte[] SCHEMA_KEY = "{\"schema\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PAYLOAD_KEY = ",\"payload\":".getBytes(StandardCharsets.US_ASCII);

    private final JsonConverter schemaJson;
    private final PayloadWriter payloads;
    private final RecentEntries<Entry> recent = new RecentEntries<>(RECENT);
    private final Map<Schema, Entry> all;
    private Output out = new Output();

    EnvelopeWriter(JsonConverter schemaJson, PayloadWriter payloads, int capacity) {
        this.schemaJson = schemaJson;
        this.payloads = payloads;
        this.all = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Schema, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The envelope's bytes; throws {@link Unusual} (or any exception) for JsonConverter to handle it. */
    byte[] write(Schema schema, Object value) throws IOException {
        Entry e = entry(schema);
        out.reset();
        out.write(e.prefix);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            payloads.write(g, schema, value, e.names);
        }
        out.write('}');
        byte[] bytes = out.toByteArray();
        if (out.size() > MAX_KEPT) {
            out = new Output(); // one huge row should not pin its buffer for the task's lifetime
        }
        return bytes;
    }

    private Entry entry(Schema schema) throws IOException {
        for (int i = 0; i < RECENT; i++) {
            Entry e = recent.get(i);
            if (e == null) {
                break;
            }
            if (e.schema == schema) {
                if (i > 0) {
                    recent.promote(i, e);
                }
                return e;
            }
        }
        if (!immutable(schema)) {
            // a SchemaBuilder can change after it was cached, and compares by identity: JsonConverter's own cache
            // then decides what is written, so it writes the record
            throw Unusual.INSTANCE;
        }
        Entry e = all.get(schema);
        if (e == null || e.schema != schema) {
            // new, or equal to a cached schema but another object: its field names are keyed by identity
            e = new Entry(schema, e != null ? e.prefix : prefix(schema));
            all.put(schema, e);
        }
        recent.promote(RECENT - 1, e);
        return e;
    }

    /** Only built schemas all the way down: what is cached for an object must stay true of it. */
    private static boolean immutable(Schema s) {
        if (!(s instanceof ConnectSchema)) {
            return false;
        }
        return switch (s.type()) {
            case STRUCT -> s.fields().stream().allMatch(f -> immutable(f.schema()));
            case ARRAY -> immutable(s.valueSchema());
            case MAP -> immutable(s.keySchema()) && immutable(s.valueSchema());
            default -> true;
        };
    }

    private byte[] prefix(Schema schema) throws IOException {
        byte[] schemaBytes = TREES.writeValueAsBytes(schemaJson.asJsonSchema(schema));
        ByteArrayOutputStream b = new ByteArrayOutputStream(schemaBytes.length + 24);
        b.write(SCHEMA_KEY);
        b.write(schemaBytes);
        b.write(PAYLOAD_KEY);
        return b.toByteArray();
    }

    private static final class Entry {
        final Schema schema;
        final byte[] prefix;
        final FieldNames names;

        Entry(Schema schema, byte[] prefix) {
            this.schema = schema;
            this.prefix = prefix;
            this.names = FieldNames.of(schema);
        }
    }

    /** A reusable buffer: the generator flushes into it, and only the finished record is copied out. */
    private static final class Output extends ByteArrayOutputStream {
        Output() {
            super(4096);
        }

        @Override
        public void close() {
            // the generator closes its target when it is closed; the buffer lives on for the next record
        }
    }
}
