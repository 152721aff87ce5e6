package io.fksafe.sink.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

import io.fksafe.sink.metadata.ColumnMeta;

/**
 * Turns a Connect value (with Debezium's logical types) into what is bound for a target column. Temporal values are
 * bound as UTC text ("2024-05-01 10:00:00.123456"): the session runs in UTC, and text keeps microseconds and MySQL's
 * out-of-range TIME values that java.time cannot carry, whatever the JDBC driver's time-zone handling.
 */
public final class ValueConverter {

    private ValueConverter() {}

    public static Object toJdbc(Schema schema, Object value, ColumnMeta column) {
        if (value == null) {
            return null;
        }
        String logical = schema.name();
        if (logical != null) {
            Object converted = convertLogical(logical, schema, value, column);
            if (converted != NOT_LOGICAL) {
                return zeroTimestamp(converted, column);
            }
        }
        return switch (schema.type()) {
            case INT8, INT16, INT32, INT64 ->
                column != null && column.unsigned() && ((Number) value).longValue() < 0
                        ? unsigned(((Number) value).longValue(), column)
                        : value;
            case BYTES -> bytes(value);
            case STRUCT, ARRAY, MAP ->
                throw new DataException(
                        "a " + schema.type() + " value (schema '" + logical + "') has no column type to map to");
            default -> value; // INT8..INT32, FLOAT32/64, BOOLEAN, STRING bind as themselves
        };
    }

    private static final Object NOT_LOGICAL = new Object();

    /**
     * A negative value for an UNSIGNED column is the source's bits read as signed: Debezium's
     * bigint.unsigned.handling.mode=long wraps BIGINT UNSIGNED above 2^63, and a value typed one width too narrow
     * wraps at that width. Read back by the target column's width, so what is bound is the source's number.
     */
    static Object unsigned(long v, ColumnMeta column) {
        int bits = switch (column.dataType()) {
            case "tinyint" -> 8;
            case "smallint" -> 16;
            case "mediumint" -> 24;
            case "int", "integer" -> 32;
            default -> 64;
        };
        if (bits == 64) {
            return Long.toUnsignedString(v);
        }
        long wrapped = v + (1L << bits);
        if (wrapped < 0) { // wider than the column: not a wrapped value, let the target refuse it with its own error
            return v;
        }
        return wrapped;
    }

    /**
     * MySQL stores TIMESTAMP as seconds since 1970-01-01 UTC, with 0 reserved for the zero value '0000-00-00 00:00:00'.
     * Debezium hands that zero on as the epoch itself, which a TIMESTAMP column rejects (1292); the epoch is exactly
     * the zero value, so it is written back as such.
     */
    private static Object zeroTimestamp(Object converted, ColumnMeta column) {
        return column != null && "timestamp".equals(column.dataType()) && EPOCH_TEXT.equals(converted)
                ? ZERO_TIMESTAMP_TEXT
                : converted;
    }

    private static final String EPOCH_TEXT = "1970-01-01 00:00:00";
    private static final String ZERO_TIMESTAMP_TEXT = "0000-00-00 00:00:00";

    private static Object convertLogical(String name, Schema schema, Object value, ColumnMeta column) {
        switch (name) {
            case Decimal.LOGICAL_NAME:
                return value; // already a BigDecimal
            case "io.debezium.data.VariableScaleDecimal": {
                Struct s = (Struct) value;
                return new BigDecimal(new BigInteger(bytes(s.get("value"))), s.getInt32("scale"));
            }
            case Date.LOGICAL_NAME:
                return LocalDate.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC)
                        .toString();
            case Time.LOGICAL_NAME:
                return TemporalText.time(((java.util.Date) value).getTime() * 1000L);
            case Timestamp.LOGICAL_NAME:
                return TemporalText.dateTime(((java.util.Date) value).getTime() * 1000L);
            case "io.debezium.time.Date":
                return LocalDate.ofEpochDay(((Number) value).longValue()).toString();
            case "io.debezium.time.Time":
                return TemporalText.time(((Number) value).longValue() * 1000L);
            case "io.debezium.time.MicroTime":
                return TemporalText.time(((Number) value).longValue());
            case "io.debezium.time.NanoTime":
                return TemporalText.time(((Number) value).longValue() / 1000L);
            case "io.debezium.time.Timestamp":
                return TemporalText.dateTime(((Number) value).longValue() * 1000L);
            case "io.debezium.time.MicroTimestamp":
                return TemporalText.dateTime(((Number) value).longValue());
            case "io.debezium.time.NanoTimestamp":
                return TemporalText.dateTime(((Number) value).longValue() / 1000L);
            case "io.debezium.time.ZonedTimestamp":
                return TemporalText.zonedToUtc((String) value);
            case "io.debezium.time.ZonedTime":
                return ((String) value).replace("Z", "");
            case "io.debezium.time.Year":
                // YEAR holds 1901..2155 or 0000; the binlog reader adds 1900 to the stored byte, so 0000 arrives as
                // 1900
                return ((Number) value).intValue() == 1900 ? 0 : value;
            case "io.debezium.data.Bits":
                return bitsToLong(bytes(value));
            case "io.debezium.data.geometry.Geometry":
            case "io.debezium.data.geometry.Point": {
                Struct s = (Struct) value;
                Integer srid = s.getInt32("srid");
                return internalGeometry(srid == null ? 0 : srid, bytes(s.get("wkb")));
            }
            case "io.debezium.data.Json":
            case "io.debezium.data.Enum":
            case "io.debezium.data.EnumSet":
            case "io.debezium.data.Uuid":
            case "io.debezium.data.Xml":
                return value.toString();
            default:
                return NOT_LOGICAL;
        }
    }

    /** Debezium sends BIT(n) as little-endian bytes; the target takes the number. */
    static long bitsToLong(byte[] b) {
        long v = 0;
        for (int i = Math.min(b.length, 8) - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    /** MySQL stores a geometry as a 4-byte little-endian SRID followed by the WKB; a binary of that form inserts as is. */
    static byte[] internalGeometry(int srid, byte[] wkb) {
        return ByteBuffer.allocate(4 + wkb.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(srid)
                .put(wkb)
                .array();
    }

    static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof ByteBuffer bb) {
            ByteBuffer d = bb.duplicate();
            byte[] out = new byte[d.remaining()];
            d.get(out);
            return out;
        }
        if (value instanceof String s) { // binary.handling.mode=base64
            return Base64.getDecoder().decode(s);
        }
        throw new DataException("expected bytes, got " + value.getClass().getName());
    }

    /** Rough size of a bound value, for the batch byte limit. */
    public static int estimateSize(Object v) {
        if (v == null) {
            return 1;
        }
        if (v instanceof String s) {
            return s.length();
        }
        if (v instanceof byte[] b) {
            return b.length;
        }
        if (v instanceof ByteBuffer bb) {
            return bb.remaining();
        }
        return 8;
    }

    /** Formats epoch microseconds and durations as MySQL literals. */
    static final class TemporalText {
        private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

        private TemporalText() {}

        static String dateTime(long epochMicros) {
            long secs = Math.floorDiv(epochMicros, 1_000_000L);
            int micros = (int) Math.floorMod(epochMicros, 1_000_000L);
            return withMicros(DATE_TIME.format(LocalDateTime.ofEpochSecond(secs, 0, ZoneOffset.UTC)), micros);
        }

        /** MySQL TIME spans -838:59:59 to 838:59:59, so it is written from the duration, not a time of day. */
        static String time(long micros) {
            String sign = micros < 0 ? "-" : "";
            long abs = Math.abs(micros);
            long totalSecs = abs / 1_000_000L;
            int frac = (int) (abs % 1_000_000L);
            String base =
                    String.format("%s%02d:%02d:%02d", sign, totalSecs / 3600, (totalSecs / 60) % 60, totalSecs % 60);
            return withMicros(base, frac);
        }

        static String zonedToUtc(String iso) {
            Instant i = OffsetDateTime.parse(iso).toInstant();
            long micros = Math.multiplyExact(i.getEpochSecond(), 1_000_000L) + i.getNano() / 1000;
            return dateTime(micros);
        }

        private static String withMicros(String base, int micros) {
            if (micros == 0) {
                return base;
            }
            String frac = Integer.toString(micros + 1_000_000); // "1" + six digits, zero-padded for free
            return base + "." + frac.substring(1);
        }
    }
}
