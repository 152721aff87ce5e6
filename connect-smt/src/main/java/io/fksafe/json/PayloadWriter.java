package io.fksafe.json;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;

/**
 * Streams Connect data with a schema as JSON, making the generator calls that Jackson makes when it writes the
 * JsonNode tree Kafka's JsonConverter builds for the same value (Kafka 4.x: null/default rule, the four logical
 * types, string-keyed maps as objects, other maps as [key, value] pairs), so the bytes are the same. Anything else
 * (a value of the wrong class, a required null, decimal.format=NUMERIC, a struct of another schema, a map key that
 * is not a String) throws {@link Unusual}: the converter then hands the whole record to JsonConverter,
 * whose result or error stands.
 */
final class PayloadWriter {

    private static final Unusual UNUSUAL = Unusual.INSTANCE;

    private final boolean replaceNullWithDefault;
    private final boolean decimalsAsBase64;

    PayloadWriter(boolean replaceNullWithDefault, boolean decimalsAsBase64) {
        this.replaceNullWithDefault = replaceNullWithDefault;
        this.decimalsAsBase64 = decimalsAsBase64;
    }

    /** {@code names}: the field names of {@code schema}'s structs, or {@link FieldNames#NONE}. */
    void write(JsonGenerator g, Schema schema, Object value, FieldNames names) throws IOException {
        if (value == null) {
            Object fallback = schema.defaultValue();
            if (fallback != null && replaceNullWithDefault) {
                write(g, schema, fallback, names);
            } else if (schema.isOptional()) {
                g.writeNull();
            } else {
                throw UNUSUAL; // JsonConverter's own "required and has no default value" error
            }
            return;
        }
        String name = schema.name();
        if (name != null && logical(g, schema, name, value)) {
            return;
        }
        switch (schema.type()) {
            case INT8 -> g.writeNumber((int) (Byte) value);
            case INT16 -> g.writeNumber((short) (Short) value);
            case INT32 -> g.writeNumber((int) (Integer) value);
            case INT64 -> g.writeNumber((long) (Long) value);
            case FLOAT32 -> g.writeNumber((float) (Float) value);
            case FLOAT64 -> g.writeNumber((double) (Double) value);
            case BOOLEAN -> g.writeBoolean((Boolean) value);
            case STRING -> g.writeString(((CharSequence) value).toString());
            case BYTES -> g.writeBinary(value instanceof ByteBuffer b ? b.array() : (byte[]) value);
            case ARRAY -> {
                g.writeStartArray();
                for (Object element : (Collection<?>) value) {
                    write(g, schema.valueSchema(), element, names);
                }
                g.writeEndArray();
            }
            case MAP -> map(g, schema, (Map<?, ?>) value, names);
            case STRUCT -> struct(g, schema, (Struct) value, names);
        }
    }

    /** Writes a value of one of the logical types JsonConverter converts itself; false for any other name. */
    private boolean logical(JsonGenerator g, Schema schema, String name, Object value) throws IOException {
        switch (name) {
            case Decimal.LOGICAL_NAME -> {
                if (!decimalsAsBase64 || !(value instanceof BigDecimal decimal)) {
                    throw UNUSUAL;
                }
                g.writeBinary(Decimal.fromLogical(schema, decimal));
            }
            case Date.LOGICAL_NAME -> g.writeNumber(Date.fromLogical(schema, date(value)));
            case Time.LOGICAL_NAME -> g.writeNumber(Time.fromLogical(schema, date(value)));
            case Timestamp.LOGICAL_NAME -> g.writeNumber(Timestamp.fromLogical(schema, date(value)));
            default -> {
                return false;
            }
        }
        return true;
    }

    private static java.util.Date date(Object value) {
        if (value instanceof java.util.Date d) {
            return d;
        }
        throw UNUSUAL;
    }

    private void map(JsonGenerator g, Schema schema, Map<?, ?> map, FieldNames names) throws IOException {
        Schema keys = schema.keySchema();
        Schema values = schema.valueSchema();
        if (keys.type() == Schema.Type.STRING) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                // a String is its own text, and distinct in a map: JsonConverter's ObjectNode keeps every entry
                if (!(e.getKey() instanceof String key)) {
                    throw UNUSUAL;
                }
                g.writeFieldName(key);
                write(g, values, e.getValue(), names);
            }
            g.writeEndObject();
            return;
        }
        g.writeStartArray();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            g.writeStartArray();
            write(g, keys, e.getKey(), names);
            write(g, values, e.getValue(), names);
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    private void struct(JsonGenerator g, Schema schema, Struct struct, FieldNames names) throws IOException {
        if (struct.schema() != schema && !struct.schema().equals(schema)) {
            throw UNUSUAL; // JsonConverter's "Mismatching schema." error
        }
        SerializableString[] encoded = names.names(schema);
        List<Field> fields = schema.fields();
        g.writeStartObject();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            if (encoded != null) {
                g.writeFieldName(encoded[i]);
            } else {
                g.writeFieldName(f.name());
            }
            // the stored value, no default: get(Field) would substitute one, which JsonConverter does not here
            Object v = f.schema().defaultValue() == null ? struct.get(f) : struct.getWithoutDefault(f.name());
            write(g, f.schema(), v, names);
        }
        g.writeEndObject();
    }
}
