package io.fksafe.smt;

import java.util.IdentityHashMap;
import java.util.Map;

import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

import io.fksafe.change.ChangeRecord;

/** An LRU of change-record value schemas, one per (key schema, row schema) pair, i.e. per table schema version. */
final class ChangeRecordSchemas {

    private record Pair(Schema key, Schema row) {}

    /** A change-record value schema and the schemas of its key and row fields, read once rather than per record. */
    record Envelope(Schema schema, Schema key, Schema row) {

        static Envelope of(Schema schema) {
            return new Envelope(schema, fieldSchema(schema, ChangeRecord.KEY), fieldSchema(schema, ChangeRecord.ROW));
        }

        private static Schema fieldSchema(Schema schema, String name) {
            Field f = schema.field(name);
            return f == null ? null : f.schema();
        }
    }

    private final int size;
    private final Cache<Pair, Schema> cache;
    /**
     * Looked up first, per record: converters reuse their Schema instances, and a ConnectSchema's hashCode walks its
     * whole tree (every field, every time), which the LRU's key pays on each lookup. Cleared when it reaches the LRU's
     * size, so a converter that builds new instances cannot grow it.
     */
    private final Map<Schema, Map<Schema, Envelope>> byInstance = new IdentityHashMap<>();

    private int instances;

    ChangeRecordSchemas(int size) {
        this.size = size;
        this.cache = new SynchronizedCache<>(new LRUCache<>(size));
    }

    Schema envelope(Schema keySchema, Schema rowSchema) {
        return envelopeOf(keySchema, rowSchema).schema();
    }

    Envelope envelopeOf(Schema keySchema, Schema rowSchema) {
        synchronized (byInstance) {
            Map<Schema, Envelope> byRow = byInstance.get(keySchema);
            Envelope envelope = byRow == null ? null : byRow.get(rowSchema);
            if (envelope != null) {
                return envelope;
            }
            envelope = Envelope.of(equalEnvelope(keySchema, rowSchema));
            if (++instances > size) {
                byInstance.clear();
                instances = 1;
            }
            byInstance.computeIfAbsent(keySchema, k -> new IdentityHashMap<>()).put(rowSchema, envelope);
            return envelope;
        }
    }

    /** The envelope of equal schemas, so records of one table share it even when their schema instances differ. */
    private Schema equalEnvelope(Schema keySchema, Schema rowSchema) {
        Pair pair = new Pair(keySchema, rowSchema);
        Schema schema = cache.get(pair);
        if (schema == null) {
            schema = ChangeRecord.envelopeSchema(keySchema, rowSchema);
            cache.put(pair, schema);
        }
        return schema;
    }

    int size() {
        return (int) cache.size();
    }
}
