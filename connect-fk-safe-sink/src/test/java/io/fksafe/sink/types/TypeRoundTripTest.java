package io.fksafe.sink.types;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.List;

import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.TableDef;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * Every MySQL column type: the source row is written with SQL literals, the sink receives the value the way Debezium's
 * MySQL/MariaDB connectors encode it (default handling modes), and the target must then hold exactly what the source
 * holds, compared by the server itself.
 */
class TypeRoundTripTest {

    private static final String DDL = "(id INT PRIMARY KEY, "
            + "t_tinyint TINYINT, t_smallint SMALLINT, t_mediumint MEDIUMINT, t_int INT, t_bigint BIGINT, "
            + "t_ubigint BIGINT UNSIGNED, t_decimal DECIMAL(20,6), t_decimal_str DECIMAL(10,2), t_float FLOAT, t_double DOUBLE, "
            + "t_bool TINYINT(1), t_bit1 BIT(1), t_bit12 BIT(12), t_date DATE, t_datetime DATETIME, t_datetime3 DATETIME(3), "
            + "t_datetime6 DATETIME(6), t_timestamp6 TIMESTAMP(6) NULL, t_time6 TIME(6), t_time_neg TIME, t_year YEAR, "
            + "t_char CHAR(10), t_varchar VARCHAR(100), t_text TEXT, t_longtext LONGTEXT, t_binary BINARY(4), "
            + "t_varbinary VARBINARY(10), t_blob BLOB, t_enum ENUM('small','large'), t_set SET('a','b','c'), t_json JSON, "
            + "t_point POINT NULL, t_null VARCHAR(5) NULL)";

    private static final String LITERALS = "(1, "
            + "-128, -32768, -8388608, -2147483648, -9223372036854775808, "
            + "18446744073709551615, -12345678901234.123456, 99999999.99, 1.5, -2.2250738585072014E-308, "
            + "1, b'1', b'101010101010', '2024-02-29', '2024-05-01 10:20:30', '1999-12-31 23:59:59.999', "
            + "'2024-05-01 10:20:30.123456', '2038-01-19 03:14:07.999999', '23:59:59.999999', '-838:59:59', 2155, "
            + "'fixed', 'héllo wörld ✓ 🚀', 'multi\\nline\\ttext', REPEAT('x', 70000), X'00FF10AB', "
            + "X'DEADBEEF00', X'0001020304FFFE', 'large', 'a,c', '{\"k\": [1, 2, {\"n\": null}]}', "
            + "ST_GeomFromText('POINT(1.5 -2.25)'), NULL)";

    private static final Schema DEC6 = Decimal.builder(6).optional().build();
    private static final Schema DATE = logical(Schema.Type.INT32, "io.debezium.time.Date");
    private static final Schema TS_MS = logical(Schema.Type.INT64, "io.debezium.time.Timestamp");
    private static final Schema TS_US = logical(Schema.Type.INT64, "io.debezium.time.MicroTimestamp");
    private static final Schema ZONED = logical(Schema.Type.STRING, "io.debezium.time.ZonedTimestamp");
    private static final Schema MICROTIME = logical(Schema.Type.INT64, "io.debezium.time.MicroTime");
    private static final Schema YEAR = logical(Schema.Type.INT32, "io.debezium.time.Year");
    private static final Schema BITS = SchemaBuilder.bytes()
            .name("io.debezium.data.Bits")
            .parameter("length", "12")
            .optional()
            .build();
    private static final Schema ENUM = logical(Schema.Type.STRING, "io.debezium.data.Enum");
    private static final Schema SET = logical(Schema.Type.STRING, "io.debezium.data.EnumSet");
    private static final Schema JSON = logical(Schema.Type.STRING, "io.debezium.data.Json");
    private static final Schema POINT = SchemaBuilder.struct()
            .name("io.debezium.data.geometry.Point")
            .optional()
            .field("x", Schema.FLOAT64_SCHEMA)
            .field("y", Schema.FLOAT64_SCHEMA)
            .field("wkb", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("srid", Schema.OPTIONAL_INT32_SCHEMA)
            .build();

    private static final TableDef TYPES = TableDef.of("src", "types")
            .key("id", Schema.INT32_SCHEMA)
            .col("t_tinyint", Schema.OPTIONAL_INT16_SCHEMA)
            .col("t_smallint", Schema.OPTIONAL_INT16_SCHEMA)
            .col("t_mediumint", Schema.OPTIONAL_INT32_SCHEMA)
            .col("t_int", Schema.OPTIONAL_INT32_SCHEMA)
            .col("t_bigint", Schema.OPTIONAL_INT64_SCHEMA)
            .col("t_ubigint", Schema.OPTIONAL_INT64_SCHEMA)
            .col("t_decimal", DEC6)
            .col("t_decimal_str", Schema.OPTIONAL_STRING_SCHEMA)
            .col("t_float", Schema.OPTIONAL_FLOAT32_SCHEMA)
            .col("t_double", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .col("t_bool", Schema.OPTIONAL_INT16_SCHEMA)
            .col("t_bit1", Schema.OPTIONAL_BOOLEAN_SCHEMA)
            .col("t_bit12", BITS)
            .col("t_date", DATE)
            .col("t_datetime", TS_MS)
            .col("t_datetime3", TS_MS)
            .col("t_datetime6", TS_US)
            .col("t_timestamp6", ZONED)
            .col("t_time6", MICROTIME)
            .col("t_time_neg", MICROTIME)
            .col("t_year", YEAR)
            .col("t_char", Schema.OPTIONAL_STRING_SCHEMA)
            .col("t_varchar", Schema.OPTIONAL_STRING_SCHEMA)
            .col("t_text", Schema.OPTIONAL_STRING_SCHEMA)
            .col("t_longtext", Schema.OPTIONAL_STRING_SCHEMA)
            .col("t_binary", Schema.OPTIONAL_BYTES_SCHEMA)
            .col("t_varbinary", Schema.OPTIONAL_BYTES_SCHEMA)
            .col("t_blob", Schema.OPTIONAL_BYTES_SCHEMA)
            .col("t_enum", ENUM)
            .col("t_set", SET)
            .col("t_json", JSON)
            .col("t_point", POINT)
            .col("t_null", Schema.OPTIONAL_STRING_SCHEMA);

    private static Schema logical(Schema.Type type, String name) {
        return new SchemaBuilder(type).name(name).optional().build();
    }

    private final TestDatabase db = TestDatabase.get();

    @Test
    void everyMysqlColumnType_sourceValueEqualsTargetValue() {
        String source = db.newDatabase("types_src");
        String target = db.newDatabase("types_tgt");
        db.exec(
                "CREATE TABLE `" + source + "`.types " + DDL,
                "CREATE TABLE `" + target + "`.types " + DDL,
                "INSERT INTO `" + source + "`.types VALUES " + LITERALS);

        byte[] pointWkb = db.query("SELECT HEX(ST_AsWKB(t_point)) FROM `" + source + "`.types")
                .get(0)
                .get(0)
                .transform(TypeRoundTripTest::unhex);
        Struct point = new Struct(POINT)
                .put("x", 1.5)
                .put("y", -2.25)
                .put("wkb", ByteBuffer.wrap(pointWkb))
                .put("srid", null);
        ChangeStream stream = new ChangeStream()
                .tx(TYPES.insert(
                        1,
                        (short) -128,
                        (short) -32768,
                        -8388608,
                        Integer.MIN_VALUE,
                        Long.MIN_VALUE,
                        -1L /* 18446744073709551615 as Debezium's bigint.unsigned.handling.mode=long sends it */,
                        new BigDecimal("-12345678901234.123456"),
                        "99999999.99",
                        1.5f,
                        -2.2250738585072014E-308,
                        (short) 1,
                        true,
                        new byte[] {(byte) 0xAA, 0x0A} /* 0b1010_1010_1010, little-endian */,
                        (int) LocalDate.parse("2024-02-29").toEpochDay(),
                        1714558830000L,
                        946684799999L,
                        1714558830123456L,
                        "2038-01-19T03:14:07.999999Z",
                        86399999999L,
                        -(838L * 3600 + 59 * 60 + 59) * 1_000_000L,
                        2155,
                        "fixed",
                        "héllo wörld ✓ 🚀",
                        "multi\nline\ttext",
                        "x".repeat(70000),
                        ByteBuffer.wrap(new byte[] {0, (byte) 0xFF, 0x10, (byte) 0xAB}),
                        ByteBuffer.wrap(new byte[] {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF, 0}),
                        ByteBuffer.wrap(new byte[] {0, 1, 2, 3, 4, (byte) 0xFF, (byte) 0xFE}),
                        "large",
                        "a,c",
                        "{\"k\": [1, 2, {\"n\": null}]}",
                        point,
                        null));
        try (TaskRunner t =
                new TaskRunner(TaskRunner.props("types-" + target, "table.mapping", "src.*=" + target + ".*"))) {
            t.deliver(stream.all());
        }
        List<List<String>> expected = db.query(compareQuery(source));
        List<List<String>> actual = db.query(compareQuery(target));
        List<String> names = db
                .query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + source
                        + "' AND TABLE_NAME = 'types' ORDER BY ORDINAL_POSITION")
                .stream()
                .map(r -> r.get(0))
                .toList();
        for (int i = 0; i < names.size(); i++) {
            assertEquals(expected.get(0).get(i), actual.get(0).get(i), "column " + names.get(i));
        }
    }

    /** Every column as text the server renders (binary and spatial as hex), so equal text means equal stored value. */
    private String compareQuery(String database) {
        StringBuilder sb = new StringBuilder("SELECT ");
        List<List<String>> cols =
                db.query("SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                        + database + "' AND TABLE_NAME = 'types' ORDER BY ORDINAL_POSITION");
        for (int i = 0; i < cols.size(); i++) {
            String c = "`" + cols.get(i).get(0) + "`";
            String type = cols.get(i).get(1);
            boolean raw =
                    type.contains("binary") || type.contains("blob") || type.equals("bit") || type.equals("point");
            sb.append(i == 0 ? "" : ", ").append(raw ? "HEX(" + c + ")" : c);
        }
        return sb.append(" FROM `").append(database).append("`.types").toString();
    }

    private static byte[] unhex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
