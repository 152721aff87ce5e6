package io.fksafe.e2e;

import java.util.ArrayList;
import java.util.List;

/**
 * One table per MySQL/MariaDB column type: {@code id INT PRIMARY KEY, v <type> NULL [DEFAULT ...]}, with rows for
 * NULL (id 1), the DEFAULT (id 2, column omitted) and then the type's minimum, maximum and edge values (id 3, 4 ...).
 */
final class ColumnTypeCorpus {

    /** A type, its DEFAULT clause (or null) and SQL literals of the values to carry. */
    record Type(String table, String sqlType, String dflt, List<String> values) {

        String create(String db) {
            return "CREATE TABLE " + db + "." + table + " (id INT PRIMARY KEY, v " + sqlType + " NULL"
                    + (dflt == null ? "" : " DEFAULT " + dflt) + ")";
        }

        /** NULL, the default, then every value. */
        List<String> inserts(String db) {
            List<String> out = new ArrayList<>();
            out.add("INSERT INTO " + db + "." + table + " VALUES (1, NULL)");
            out.add("INSERT INTO " + db + "." + table + " (id) VALUES (2)");
            for (int i = 0; i < values.size(); i++) {
                out.add("INSERT INTO " + db + "." + table + " VALUES (" + (i + 3) + ", " + values.get(i) + ")");
            }
            return out;
        }

        /** The NULL row gets the last value, the default row NULL, each value row the next value (the first the default). */
        List<String> updates(String db) {
            String t = db + "." + table;
            List<String> out = new ArrayList<>();
            out.add("UPDATE " + t + " SET v = " + values.get(values.size() - 1) + " WHERE id = 1");
            out.add("UPDATE " + t + " SET v = NULL WHERE id = 2");
            for (int i = 0; i < values.size(); i++) {
                String next = i + 1 < values.size() ? values.get(i + 1) : dflt == null ? "NULL" : "DEFAULT";
                out.add("UPDATE " + t + " SET v = " + next + " WHERE id = " + (i + 3));
            }
            return out;
        }

        List<String> deletes(String db) {
            return List.of("DELETE FROM " + db + "." + table + " WHERE id IN (1, 3)");
        }
    }

    private static Type t(String table, String sqlType, String dflt, String... values) {
        return new Type(table, sqlType, dflt, List.of(values));
    }

    /** Carried exactly today, NULLs and defaults included. */
    static final List<Type> TYPES = List.of(
            t("t_tinyint", "TINYINT", "7", "-128", "127", "0"),
            t("t_tinyint_u", "TINYINT UNSIGNED", "7", "0", "255"),
            t("t_boolean", "BOOLEAN", "TRUE", "FALSE", "TRUE"),
            t("t_tinyint1", "TINYINT(1)", "1", "0", "1", "-1", "2", "-128", "127"),
            t("t_smallint", "SMALLINT", "-7", "-32768", "32767"),
            t("t_smallint_u", "SMALLINT UNSIGNED", "7", "0", "65535"),
            t("t_mediumint", "MEDIUMINT", "7", "-8388608", "8388607"),
            t("t_mediumint_u", "MEDIUMINT UNSIGNED", "7", "0", "16777215"),
            t("t_int", "INT", "42", "-2147483648", "2147483647", "0"),
            t("t_int_u_low", "INT UNSIGNED", "42", "0", "2147483647"),
            t("t_int_u_high", "INT UNSIGNED", "42", "2147483648", "4294967295"),
            t("t_int_u_zerofill", "INT(10) UNSIGNED ZEROFILL", "42", "0", "4294967295"),
            t("t_mediumint_u_zerofill", "MEDIUMINT UNSIGNED ZEROFILL", "7", "16777215"),
            t("t_bigint", "BIGINT", "42", "-9223372036854775808", "9223372036854775807"),
            t("t_bigint_u", "BIGINT UNSIGNED", "42", "0", "9223372036854775808", "18446744073709551615"),
            t(
                    "t_decimal_65_30",
                    "DECIMAL(65,30)",
                    "1.5",
                    "-99999999999999999999999999999999999.999999999999999999999999999999",
                    "99999999999999999999999999999999999.999999999999999999999999999999",
                    "0.000000000000000000000000000001",
                    "0"),
            t("t_decimal_5_2", "DECIMAL(5,2)", "-1.25", "-999.99", "999.99", "0.01"),
            t("t_decimal_u", "DECIMAL(10,0) UNSIGNED", "3", "0", "9999999999"),
            t("t_float", "FLOAT", "1.5", "-3.40282e38", "3.40282e38", "1.17549e-38", "0", "-0.5"),
            t(
                    "t_double",
                    "DOUBLE",
                    "2.5",
                    "-1.7976931348623157e308",
                    "1.7976931348623157e308",
                    "2.2250738585072014e-308",
                    "0.1"),
            t("t_bit1", "BIT(1)", "b'1'", "b'0'", "b'1'"),
            t("t_bit10", "BIT(10)", "b'101'", "b'0'", "b'1111111111'"),
            t("t_bit64", "BIT(64)", "b'101'", "b'0'", "x'FFFFFFFFFFFFFFFF'", "x'8000000000000000'"),
            t(
                    "t_date",
                    "DATE",
                    "'2000-01-01'",
                    "'1000-01-01'",
                    "'9999-12-31'",
                    "'1969-12-31'",
                    "'1970-01-01'",
                    "'2024-02-29'"),
            t(
                    "t_date_small_years",
                    "DATE",
                    "'0018-04-01'",
                    "'0001-01-01'",
                    "'0018-04-01'",
                    "'0069-12-31'",
                    "'0070-01-01'",
                    "'0099-12-31'",
                    "'0100-01-01'"),
            t(
                    "t_datetime",
                    "DATETIME",
                    "'2000-01-01 00:00:00'",
                    "'1000-01-01 00:00:00'",
                    "'9999-12-31 23:59:59'",
                    "'0099-12-31 23:59:59'",
                    "'1970-01-01 00:00:00'"),
            t(
                    "t_datetime6",
                    "DATETIME(6)",
                    "CURRENT_TIMESTAMP(6)",
                    "'1000-01-01 00:00:00.000000'",
                    "'9999-12-31 23:59:59.999999'",
                    "'2024-02-29 12:34:56.000001'"),
            t("t_timestamp", "TIMESTAMP", "'2000-01-01 00:00:00'", "'1970-01-01 00:00:01'", "'2038-01-19 03:14:07'"),
            t(
                    "t_timestamp6",
                    "TIMESTAMP(6)",
                    null,
                    "'1970-01-01 00:00:01.000000'",
                    "'2038-01-19 03:14:07.999999'",
                    "'2024-06-30 23:59:59.500000'"),
            t(
                    "t_timestamp_zero",
                    "TIMESTAMP",
                    "'0000-00-00 00:00:00'",
                    "'0000-00-00 00:00:00'",
                    "'2001-02-03 04:05:06'"),
            t("t_time", "TIME", "'12:00:00'", "'-838:59:59'", "'838:59:59'", "'00:00:00'", "'-00:00:01'"),
            t(
                    "t_time6",
                    "TIME(6)",
                    "'-01:02:03.000004'",
                    "'-838:59:59.999999'",
                    "'838:59:59.999999'",
                    "'-00:00:00.000001'"),
            t("t_year", "YEAR", "2000", "1901", "2155", "0"),
            t("t_char", "CHAR(10)", "'d'", "''", "'ten chars!'", "' lead'", "'üñí€'"),
            t(
                    "t_varchar",
                    "VARCHAR(255)",
                    "'dflt'",
                    "''",
                    "'😀 emoji 𝄞'",
                    "'quote '' dq \" bs \\\\ end'",
                    "REPEAT('x', 255)",
                    "CONCAT('nul', CHAR(0 USING utf8mb4), 'tab\\tnl\\n')"),
            t("t_varchar_latin1", "VARCHAR(20) CHARACTER SET latin1", "'é'", "'é€ÿ ß'", "'plain'", "''"),
            t("t_varchar_bin", "VARCHAR(20) COLLATE utf8mb4_bin", "'B'", "'a'", "'A'", "'ä'"),
            t("t_varchar_ci", "VARCHAR(20) COLLATE utf8mb4_general_ci", "'dflt'", "'Straße'", "'trailing  '"),
            t("t_binary", "BINARY(4)", "'ab'", "x'00000000'", "x'FFFFFFFF'", "x'01'", "''"),
            t("t_varbinary", "VARBINARY(16)", "x'00FF'", "x''", "x'00'", "x'FF00FF00'"),
            t("t_tinytext", "TINYTEXT", "'tiny'", "''", "REPEAT('t', 255)"),
            t("t_text", "TEXT", "'text default'", "''", "REPEAT('é', 10000)"),
            t("t_mediumtext", "MEDIUMTEXT", null, "REPEAT('m', 70000)"),
            t("t_longtext", "LONGTEXT", "'long'", "REPEAT('😀', 100000)"),
            t("t_tinyblob", "TINYBLOB", null, "x''", "x'00FF'"),
            t("t_blob", "BLOB", "'blob'", "x'00'", "REPEAT(x'00FF7F80', 1000)"),
            t("t_mediumblob", "MEDIUMBLOB", null, "REPEAT(x'DEADBEEF', 50000)"),
            t("t_longblob", "LONGBLOB", null, "REPEAT(x'00', 100)"),
            t("t_enum", "ENUM('a','b','c d','É')", "'b'", "'a'", "'c d'", "'É'"),
            t("t_set", "SET('x','y','z')", "'x,y'", "''", "'x,y,z'", "'z'"),
            t(
                    "t_json",
                    "JSON",
                    "'{}'",
                    "'{\"a\": [1, 2.5, null, \"é😀\"], \"b\": {\"c\": true}}'",
                    "'[]'",
                    "'null'",
                    "'\"str\"'"),
            t(
                    "t_geometry",
                    "GEOMETRY",
                    null,
                    "ST_GeomFromText('POINT(1 2)')",
                    "ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))')",
                    "ST_GeomFromText('POINT(1 2)', 4326)"),
            t("t_point", "POINT", null, "POINT(-1.5, 1e300)", "POINT(0, 0)"),
            t("t_linestring", "LINESTRING", null, "ST_GeomFromText('LINESTRING(0 0,1 1,2 0)')"),
            t("t_polygon", "POLYGON", null, "ST_GeomFromText('POLYGON((0 0,4 0,4 4,0 0),(1 1,2 1,2 2,1 1))')"),
            t("t_multipoint", "MULTIPOINT", null, "ST_GeomFromText('MULTIPOINT(0 0,1 1)')"),
            t("t_multilinestring", "MULTILINESTRING", null, "ST_GeomFromText('MULTILINESTRING((0 0,1 1),(2 2,3 3))')"),
            t("t_multipolygon", "MULTIPOLYGON", null, "ST_GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)))')"),
            t(
                    "t_geometrycollection",
                    "GEOMETRYCOLLECTION",
                    null,
                    "ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,1 1))')"),
            t(
                    "t_uuid",
                    "UUID",
                    "'00000000-0000-0000-0000-000000000001'",
                    "'ffffffff-ffff-ffff-ffff-ffffffffffff'",
                    "'123e4567-e89b-12d3-a456-426614174001'"));

    /**
     * MariaDB types Debezium MariaDB 3.5's DDL parser cannot read: their CREATE TABLE stops the source connector
     * ("DDL statement couldn't be parsed"). Loud, not lossy; not carried until Debezium parses them.
     */
    static final List<Type> STOP_DEBEZIUM = List.of(
            t("x_inet6", "INET6", "'::1'", "'::'", "'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'", "'::ffff:1.2.3.4'"),
            t("x_inet4", "INET4", "'127.0.0.1'", "'0.0.0.0'", "'255.255.255.255'"));

    /**
     * Values Debezium MariaDB 3.5 changes at capture, before Kafka (docs/deploy.md, 'Data fidelity'); the sink cannot
     * tell. Run with {@code -Dfksafe.corpus.capture=true} to see them: a column declared BOOLEAN is typed boolean, so
     * -1 and 2 arrive as 1; a UUID ending in a 0x00 byte arrives shifted by a byte ('…174000' as '00…1740'); a DATE or
     * DATETIME with a zero year, month or day is read from the binlog as no value, so it arrives as NULL.
     */
    static final List<Type> CHANGED_AT_CAPTURE = List.of(
            t("c_boolean_not_0_or_1", "BOOLEAN", "TRUE", "-1", "2"),
            t("c_uuid_trailing_zero", "UUID", null, "'123e4567-e89b-12d3-a456-426614174000'"),
            t("c_date_zero", "DATE", "'0000-00-00'", "'0000-00-00'", "'2024-00-10'", "'2024-05-00'"),
            t(
                    "c_datetime_zero",
                    "DATETIME(6)",
                    "'0000-00-00 00:00:00'",
                    "'0000-00-00 00:00:00'",
                    "'2024-00-10 10:11:12.5'"));

    private ColumnTypeCorpus() {}
}
