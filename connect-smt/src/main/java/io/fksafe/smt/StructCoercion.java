package io.fksafe.smt;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Map;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.data.Values;
import org.apache.kafka.connect.errors.DataException;

/**
 * Puts a key or row into a given Struct schema, matching fields by name.
 *
 * <p>Needed because Debezium's key schema is required while the change-record envelope holds it as optional, and
 * because {@code __debezium.oldkey} reaches a sink as whatever the header converter made of it: a Struct, a Map
 * with narrowed number types (SimpleHeaderConverter infers INT8 for 1), or a String.
 */
final class StructCoercion {

    private StructCoercion() {}

    /** {@code value} as a Struct of {@code schema}; the same object when it already has that schema. */
    static Struct toStruct(Object value, Schema schema, String what) {
        if (value == null) {
            return null;
        }
        if (value instanceof Struct s && s.schema().equals(schema)) {
            return s;
        }
        if (value instanceof String text) {
            value = parse(text, what);
        }
        Struct out = new Struct(schema);
        for (Field f : schema.fields()) {
            Object fieldValue;
            if (value instanceof Struct s) {
                Field from = s.schema().field(f.name());
                fieldValue = from == null ? missing(f, what) : s.getWithoutDefault(from.name());
            } else if (value instanceof Map<?, ?> m) {
                fieldValue = m.containsKey(f.name()) ? m.get(f.name()) : missing(f, what);
            } else {
                throw new DataException(what + " is a " + value.getClass().getSimpleName()
                        + ", expected a Struct, a Map or a String with fields " + fieldNames(schema));
            }
            out.put(f, coerce(fieldValue, f.schema(), what + "." + f.name()));
        }
        return out;
    }

    private static Object parse(String text, String what) {
        Object parsed = Values.parseString(text).value();
        if (!(parsed instanceof Map<?, ?>) && !(parsed instanceof Struct)) {
            throw new DataException(what + " '" + text + "' does not parse as a map of key fields");
        }
        return parsed;
    }

    private static Object missing(Field f, String what) {
        if (f.schema().isOptional()) {
            return null;
        }
        throw new DataException(what + " has no field '" + f.name() + "'");
    }

    static Object coerce(Object v, Schema schema, String what) {
        if (v == null) {
            return null;
        }
        try {
            if (Decimal.LOGICAL_NAME.equals(schema.name())) {
                int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
                BigDecimal d = Values.convertToDecimal(schema, v, scale);
                return d == null ? null : d.setScale(scale);
            }
            return switch (schema.type()) {
                case INT8 -> Values.convertToByte(schema, v);
                case INT16 -> Values.convertToShort(schema, v);
                case INT32 ->
                    Date.LOGICAL_NAME.equals(schema.name())
                            ? Values.convertToDate(schema, v)
                            : Time.LOGICAL_NAME.equals(schema.name())
                                    ? Values.convertToTime(schema, v)
                                    : Values.convertToInteger(schema, v);
                case INT64 ->
                    Timestamp.LOGICAL_NAME.equals(schema.name())
                            ? Values.convertToTimestamp(schema, v)
                            : Values.convertToLong(schema, v);
                case FLOAT32 -> Values.convertToFloat(schema, v);
                case FLOAT64 -> Values.convertToDouble(schema, v);
                case BOOLEAN -> Values.convertToBoolean(schema, v);
                case STRING -> Values.convertToString(schema, v);
                case BYTES -> bytes(v, what);
                case STRUCT -> toStruct(v, schema, what);
                default -> v;
            };
        } catch (DataException e) {
            throw new DataException(what + ": cannot convert " + v + " to " + schema.type() + ": " + e.getMessage(), e);
        }
    }

    private static Object bytes(Object v, String what) {
        if (v instanceof byte[] || v instanceof ByteBuffer) {
            return v;
        }
        if (v instanceof String s) { // JSON carries bytes as base64
            return Base64.getDecoder().decode(s);
        }
        throw new DataException(what + " is a " + v.getClass().getSimpleName() + ", expected bytes");
    }

    private static String fieldNames(Schema schema) {
        return schema.fields().stream().map(Field::name).toList().toString();
    }
}
