package io.fksafe.smt;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.header.Headers;

/**
 * Debezium's primary-key change pair: DELETE(old key) carrying {@value #NEW_KEY}, a tombstone, then CREATE(new key)
 * carrying {@value #OLD_KEY}. The SMT drops the DELETE and turns the CREATE into one key update.
 */
final class KeyChangeHeaders {

    static final String NEW_KEY = "__debezium.newkey";
    static final String OLD_KEY = "__debezium.oldkey";

    private KeyChangeHeaders() {}

    /** True for the DELETE half of a key change: applying it would fire the target's ON DELETE rules. */
    static boolean isKeyChangeDelete(Headers headers) {
        return headers.lastWithName(NEW_KEY) != null;
    }

    /** The old key carried by the CREATE half, as a Struct of {@code keySchema}; null when there is none. */
    static Struct oldKey(Headers headers, Schema keySchema) {
        Header h = headers.lastWithName(OLD_KEY);
        if (h == null || h.value() == null) {
            return null;
        }
        return StructCoercion.toStruct(h.value(), keySchema, "header '" + OLD_KEY + "'");
    }
}
