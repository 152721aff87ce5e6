package io.fksafe.json;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * The field names of every struct in one cached schema, each encoded once as a {@link SerializedString}. Jackson
 * compares such a name byte for byte with the input ({@code JsonParser.nextFieldName(SerializableString)}), so a
 * payload whose fields come in schema order, as Debezium writes them, costs no hashing or symbol-table lookup per
 * name. Built once per cached schema and never changed, so shared by threads as the cache entry is.
 */
final class FieldNames {

    static final FieldNames NONE = new FieldNames(Map.of());

    private final Map<Schema, SerializableString[]> byStruct;

    private FieldNames(Map<Schema, SerializableString[]> byStruct) {
        this.byStruct = byStruct;
    }

    static FieldNames of(Schema root) {
        Map<Schema, SerializableString[]> m = new IdentityHashMap<>();
        collect(root, m);
        return new FieldNames(m);
    }

    /** The names of {@code struct}'s fields, in order; null for a schema not in the tree it was built from. */
    SerializableString[] names(Schema struct) {
        return byStruct.get(struct);
    }

    private static void collect(Schema s, Map<Schema, SerializableString[]> m) {
        if (s == null) {
            return;
        }
        switch (s.type()) {
            case STRUCT -> {
                if (m.containsKey(s)) {
                    return;
                }
                List<Field> fields = s.fields();
                SerializableString[] names = new SerializableString[fields.size()];
                for (Field f : fields) {
                    names[f.index()] = new SerializedString(f.name());
                    collect(f.schema(), m);
                }
                m.put(s, names);
            }
            case ARRAY -> collect(s.valueSchema(), m);
            case MAP -> {
                collect(s.keySchema(), m);
                collect(s.valueSchema(), m);
            }
            default -> {}
        }
    }
}
