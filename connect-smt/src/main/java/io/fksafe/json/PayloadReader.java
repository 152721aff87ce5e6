package io.fksafe.json;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;

import io.fksafe.data.StructWrites;

/**
 * Streams one JSON payload into Connect data for a known schema, value for value what Kafka's JsonConverter makes of
 * the same payload's JsonNode tree (Kafka 4.x: null/default rule, logical types, string-keyed maps as objects, other
 * maps as [key, value] pairs). Anything outside the shapes JsonConverter itself writes throws {@link Unusual}; the
 * converter then hands the whole record to JsonConverter, so odd input gets JsonConverter's exact result or error.
 */
final class PayloadReader {

    private static final Unusual UNUSUAL = Unusual.INSTANCE;

    private final boolean replaceNullWithDefault;

    PayloadReader(boolean replaceNullWithDefault) {
        this.replaceNullWithDefault = replaceNullWithDefault;
    }

    /** Reads the value at the parser's next token; {@code names}: the field names of {@code schema}'s structs. */
    Object read(JsonParser p, Schema schema, FieldNames names) throws IOException {
        return value(p, p.nextToken(), schema, names);
    }

    private Object value(JsonParser p, JsonToken t, Schema schema, FieldNames names) throws IOException {
        if (t == null) {
            throw UNUSUAL;
        }
        if (t == JsonToken.VALUE_NULL) {
            return absent(schema);
        }
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case Decimal.LOGICAL_NAME:
                    return decimal(p, t, schema);
                case Date.LOGICAL_NAME:
                    return Date.toLogical(schema, intOnly(p, t));
                case Time.LOGICAL_NAME:
                    return Time.toLogical(schema, intOnly(p, t));
                case Timestamp.LOGICAL_NAME:
                    if (t != JsonToken.VALUE_NUMBER_INT) {
                        throw UNUSUAL;
                    }
                    return Timestamp.toLogical(schema, p.getNumberValue().longValue());
                default:
                    break;
            }
        }
        switch (schema.type()) {
            case BOOLEAN:
                if (t == JsonToken.VALUE_TRUE) {
                    return Boolean.TRUE;
                }
                if (t == JsonToken.VALUE_FALSE) {
                    return Boolean.FALSE;
                }
                throw UNUSUAL;
            case INT8:
                return (byte) integral(p, t).intValue();
            case INT16:
                return (short) integral(p, t).intValue();
            case INT32:
                return integral(p, t).intValue();
            case INT64:
                return integral(p, t).longValue();
            case FLOAT32:
                return number(p, t).floatValue();
            case FLOAT64:
                return number(p, t).doubleValue();
            case STRING:
                if (t != JsonToken.VALUE_STRING) {
                    throw UNUSUAL;
                }
                return p.getText();
            case BYTES:
                if (t != JsonToken.VALUE_STRING) {
                    throw UNUSUAL;
                }
                return p.getBinaryValue();
            case STRUCT:
                return struct(p, t, schema, names);
            case ARRAY:
                return array(p, t, schema, names);
            case MAP:
                return map(p, t, schema, names);
            default:
                throw UNUSUAL;
        }
    }

    /** JsonConverter's rule for a null or missing value. */
    private Object absent(Schema schema) {
        if (schema.defaultValue() != null && replaceNullWithDefault) {
            return schema.defaultValue();
        }
        if (schema.isOptional()) {
            return null;
        }
        throw UNUSUAL; // JsonConverter's "Invalid null value for required ... field"
    }

    private Struct struct(JsonParser p, JsonToken t, Schema schema, FieldNames names) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            throw UNUSUAL;
        }
        List<Field> fields = schema.fields();
        int n = fields.size();
        SerializableString[] expectedNames = names.names(schema);
        // values go straight into the Struct, each built to its field's schema (anything else is UNUSUAL and goes to
        // JsonConverter), so they skip put's validation; a null needs no write (a new Struct holds nulls), except to
        // undo an earlier value of a repeated name
        Struct result = new Struct(schema.schema());
        long seen = 0; // fields 0..63; wider structs also use seenWide
        boolean[] seenWide = n > Long.SIZE ? new boolean[n] : null;
        int expected = 0;
        while (true) {
            Field field;
            if (expectedNames != null && expected < n && p.nextFieldName(expectedNames[expected])) {
                field = fields.get(expected); // the usual case: the next field in schema order, matched on its bytes
            } else {
                JsonToken nt = expectedNames != null && expected < n ? p.currentToken() : p.nextToken();
                if (nt != JsonToken.FIELD_NAME) {
                    break;
                }
                String name = p.currentName();
                if (expected < n && fields.get(expected).name().equals(name)) {
                    field = fields.get(expected);
                } else {
                    field = schema.field(name);
                }
            }
            JsonToken vt = p.nextToken();
            if (field == null) {
                p.skipChildren(); // JsonConverter ignores what the schema does not name
                continue;
            }
            int i = field.index();
            Object v = value(p, vt, field.schema(), names); // a repeated name: the last one wins, as in Jackson's tree
            boolean again = i < Long.SIZE ? (seen & (1L << i)) != 0 : seenWide[i];
            if (v != null || again) {
                StructWrites.putBuilt(result, field, v);
            }
            if (i < Long.SIZE) {
                seen |= 1L << i;
            } else {
                seenWide[i] = true;
            }
            expected = i + 1;
        }
        if (p.currentToken() != JsonToken.END_OBJECT) {
            throw UNUSUAL;
        }
        for (int i = 0; i < n; i++) {
            if (i < Long.SIZE ? (seen & (1L << i)) == 0 : !seenWide[i]) {
                Field f = fields.get(i);
                Object v = absent(f.schema());
                if (v != null) {
                    StructWrites.putBuilt(result, f, v); // the field's default
                }
            }
        }
        return result;
    }

    private List<Object> array(JsonParser p, JsonToken t, Schema schema, FieldNames names) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            throw UNUSUAL;
        }
        Schema elem = schema.valueSchema();
        List<Object> result = new ArrayList<>();
        JsonToken et;
        while ((et = p.nextToken()) != JsonToken.END_ARRAY) {
            result.add(value(p, et, elem, names));
        }
        return result;
    }

    private Map<Object, Object> map(JsonParser p, JsonToken t, Schema schema, FieldNames names) throws IOException {
        Schema keys = schema.keySchema();
        Schema values = schema.valueSchema();
        Map<Object, Object> result = new HashMap<>();
        if (keys.type() == Schema.Type.STRING) {
            if (t != JsonToken.START_OBJECT) {
                throw UNUSUAL;
            }
            String name;
            while ((name = p.nextFieldName()) != null) {
                result.put(name, value(p, p.nextToken(), values, names));
            }
            return result;
        }
        if (t != JsonToken.START_ARRAY) {
            throw UNUSUAL;
        }
        while (p.nextToken() == JsonToken.START_ARRAY) {
            Object k = value(p, p.nextToken(), keys, names);
            Object v = value(p, p.nextToken(), values, names);
            if (p.nextToken() != JsonToken.END_ARRAY) {
                throw UNUSUAL;
            }
            result.put(k, v);
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw UNUSUAL;
        }
        return result;
    }

    private static Object decimal(JsonParser p, JsonToken t, Schema schema) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            Number n = p.getNumberValue(); // JsonNode.decimalValue() of an int/long/BigInteger node
            return n instanceof java.math.BigInteger
                    ? new BigDecimal((java.math.BigInteger) n)
                    : BigDecimal.valueOf(n.longValue());
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDecimalValue(); // JsonConverter reads floats exactly (USE_BIG_DECIMAL_FOR_FLOATS)
        }
        if (t == JsonToken.VALUE_STRING) {
            return Decimal.toLogical(schema, p.getBinaryValue());
        }
        throw UNUSUAL;
    }

    /** Date and Time accept only a JSON integer that fits an int (JsonNode.isInt()). */
    private static int intOnly(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw UNUSUAL;
        }
        return p.getIntValue();
    }

    private static Number integral(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw UNUSUAL;
        }
        return p.getNumberValue();
    }

    /** As JsonConverter's tree holds them: integers as int/long/BigInteger, other numbers as exact BigDecimal. */
    private static Number number(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getNumberValue();
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDecimalValue();
        }
        throw UNUSUAL;
    }
}
