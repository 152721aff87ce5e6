package io.fksafe.smt;

import io.fksafe.change.ChangeRecord;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.connect.data.Schema;

/** An LRU of change-record value schemas, one per (key schema, row schema) pair, i.e. per table schema version. */
final class ChangeRecordSchemas {

    private record Pair(Schema key, Schema row) { }

    private final Cache<Pair, Schema> cache;

    ChangeRecordSchemas(int size) {
        this.cache = new SynchronizedCache<>(new LRUCache<>(size));
    }

    Schema envelope(Schema keySchema, Schema rowSchema) {
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
