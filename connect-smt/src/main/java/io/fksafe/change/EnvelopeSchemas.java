package io.fksafe.change;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/** The key and row schemas as the change-record envelope holds them, and their values under those schemas. */
final class EnvelopeSchemas {

    private EnvelopeSchemas() {}

    /** {@code value} when its schema is {@code schema}, else a copy of its values under {@code schema}. */
    static Struct underSchema(Struct value, Schema schema) {
        return value.schema().equals(schema) ? value : copy(value, schema);
    }

    /** The same values under the envelope's (optional) variant of the schema; Struct.put insists on equal schemas. */
    private static Struct copy(Struct value, Schema schema) {
        Struct out = new Struct(schema);
        for (Field f : schema.fields()) {
            out.put(f.name(), value.getWithoutDefault(f.name())); // get() would turn a NULL into the column's DEFAULT
        }
        return out;
    }

    /** The schema itself when optional, else an optional copy of it: the envelope's old key and row may be null. */
    static Schema optional(Schema schema) {
        if (schema.isOptional()) {
            return schema;
        }
        SchemaBuilder b = SchemaBuilder.struct()
                .name(schema.name())
                .version(schema.version())
                .doc(schema.doc())
                .optional();
        if (schema.parameters() != null) {
            b.parameters(schema.parameters());
        }
        for (Field f : schema.fields()) {
            b.field(f.name(), f.schema());
        }
        return b.build();
    }
}
