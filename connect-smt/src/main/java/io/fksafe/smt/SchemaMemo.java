package io.fksafe.smt;

import java.util.function.Function;

import org.apache.kafka.connect.data.ConnectSchema;
import org.apache.kafka.connect.data.Schema;

/**
 * What the transform derives from a schema (which fields it has, where), remembered per schema instance: converters
 * hand out one instance per schema, so each record finds its entry by identity instead of looking fields up by name.
 * Two slots per identity hash, the newer entry first. Shared by threads without a lock, as a memo of immutable
 * entries can be: a reader finds a whole entry for its schema, or computes one. Only ConnectSchema instances are kept:
 * they cannot change, where a SchemaBuilder can still gain fields.
 */
final class SchemaMemo<T> {

    private static final int SLOTS = 256;

    private record Entry<T>(Schema schema, T value) {}

    private final Function<Schema, T> derive;

    @SuppressWarnings("unchecked")
    private final Entry<T>[] slots = new Entry[SLOTS];

    SchemaMemo(Function<Schema, T> derive) {
        this.derive = derive;
    }

    T get(Schema schema) {
        int h = System.identityHashCode(schema);
        int i = (h ^ (h >>> 16)) & (SLOTS - 1);
        int j = (i + 1) & (SLOTS - 1);
        Entry<T> first = slots[i];
        if (first != null && first.schema() == schema) {
            return first.value();
        }
        Entry<T> second = slots[j];
        if (second != null && second.schema() == schema) {
            return second.value();
        }
        T value = derive.apply(schema);
        if (schema instanceof ConnectSchema) {
            if (first != null) {
                slots[j] = first;
            }
            slots[i] = new Entry<>(schema, value);
        }
        return value;
    }
}
