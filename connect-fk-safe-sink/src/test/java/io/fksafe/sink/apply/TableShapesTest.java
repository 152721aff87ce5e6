package io.fksafe.sink.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.TableDef;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * The task against a real target, with changes shaped as Debezium sends them for values and tables the target does
 * not take as is: wrapped unsigned integers, the zero TIMESTAMP, generated columns, unique-key-only and keyless
 * tables. (TableShapesIT runs the same cases through Debezium.)
 */
class TableShapesTest {

    private final TestDatabase db = TestDatabase.get();
    private String target;

    @BeforeEach
    void schema() {
        target = db.newDatabase("shapes");
    }

    private void apply(String ddl, ChangeStream stream) {
        db.exec("CREATE TABLE `" + target + "`." + ddl);
        try (TaskRunner t =
                new TaskRunner(TaskRunner.props("shapes-" + target, "table.mapping", "src.*=" + target + ".*"))) {
            t.deliver(stream.all());
        }
    }

    private List<List<String>> rows(String sql) {
        return db.query(sql.replace("T.", "`" + target + "`."));
    }

    @Test
    void unsignedIntegers_wrappedToNegative_areReadBackByTheTargetColumnsWidth() {
        TableDef u = TableDef.of("src", "u")
                .key("id", Schema.INT32_SCHEMA)
                .col("t", Schema.OPTIONAL_INT8_SCHEMA)
                .col("s", Schema.OPTIONAL_INT16_SCHEMA)
                .col("m", Schema.OPTIONAL_INT32_SCHEMA)
                .col("z", Schema.OPTIONAL_INT32_SCHEMA);
        apply(
                "u (id INT UNSIGNED PRIMARY KEY, t TINYINT UNSIGNED, s SMALLINT UNSIGNED, m MEDIUMINT UNSIGNED, "
                        + "z INT(10) UNSIGNED ZEROFILL)",
                new ChangeStream()
                        .tx(
                                u.insert(-1, (byte) -1, (short) -32768, -1, Integer.MIN_VALUE),
                                u.insert(7, (byte) 1, (short) 2, 3, 4))
                        .tx(u.delete(7)));
        assertEquals(
                List.of(List.of("4294967295", "255", "32768", "16777215", "2147483648")),
                rows("SELECT id, t, s, m, z FROM T.u"));
    }

    @Test
    void zeroTimestamp_sentAsTheEpoch_isWrittenAsTheZeroTimestamp() {
        Schema zoned = SchemaBuilder.string()
                .name("io.debezium.time.ZonedTimestamp")
                .optional()
                .build();
        TableDef z = TableDef.of("src", "z")
                .key("id", Schema.INT32_SCHEMA)
                .col("ts", zoned)
                .col("dt", zoned);
        apply(
                "z (id INT PRIMARY KEY, ts TIMESTAMP NULL, dt DATETIME NULL)",
                new ChangeStream()
                        .tx(
                                z.insert(1, "1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
                                z.insert(2, "1970-01-01T00:00:01Z", null)));
        assertEquals(
                List.of(
                        List.of("1", "0000-00-00 00:00:00", "1970-01-01 00:00:00"),
                        Arrays.asList("2", "1970-01-01 00:00:01", null)),
                rows("SELECT id, CAST(ts AS CHAR), CAST(dt AS CHAR) FROM T.z ORDER BY id"));
    }

    @Test
    void generatedColumns_areLeftToTheTarget() {
        TableDef g = TableDef.of("src", "g")
                .key("id", Schema.INT32_SCHEMA)
                .col("a", Schema.INT32_SCHEMA)
                .col("v", Schema.OPTIONAL_INT32_SCHEMA)
                .col("s", Schema.OPTIONAL_INT32_SCHEMA);
        apply(
                "g (id INT PRIMARY KEY, a INT NOT NULL, v INT AS (a * 2) VIRTUAL, s INT AS (a + 1) PERSISTENT)",
                new ChangeStream()
                        .tx(g.insert(1, 10, 20, 11), g.insert(2, 5, 10, 6))
                        .tx(g.update(1, 11, 22, 12)));
        assertEquals(
                List.of(List.of("1", "11", "22", "12"), List.of("2", "5", "10", "6")),
                rows("SELECT * FROM T.g ORDER BY id"));
    }

    @Test
    void uniqueNotNullKeyOnly_findsRowsByThatKey() {
        TableDef u = TableDef.of("src", "u").key("code", Schema.STRING_SCHEMA).col("n", Schema.OPTIONAL_INT32_SCHEMA);
        apply(
                "u (code VARCHAR(10) NOT NULL, n INT, UNIQUE KEY uk_n (n), UNIQUE KEY uk_code (code))",
                new ChangeStream()
                        .tx(u.insert("a", 1), u.insert("b", 2), u.insert("c", null))
                        .tx(u.update("a", 10), u.keyUpdate(new Object[] {"b"}, "bb", 2), u.delete("c")));
        assertEquals(List.of(List.of("a", "10"), List.of("bb", "2")), rows("SELECT code, n FROM T.u ORDER BY code"));
    }

    @Test
    void keylessTable_changesExactlyOneMatchingRow_nullsIncluded() {
        TableDef k =
                TableDef.of("src", "k").key("a", Schema.OPTIONAL_INT32_SCHEMA).key("b", Schema.OPTIONAL_STRING_SCHEMA);
        apply(
                "k (a INT, b VARCHAR(10))",
                new ChangeStream()
                        .tx(k.insert(1, "x"), k.insert(1, "x"), k.insert(null, null), k.insert(2, null))
                        .tx(k.keyUpdate(new Object[] {1, "x"}, 1, "y"), k.keyUpdate(new Object[] {2, null}, 2, "z"))
                        .tx(k.delete(null, null)));
        assertEquals(
                List.of(List.of("1", "x"), List.of("1", "y"), List.of("2", "z")),
                rows("SELECT a, b FROM T.k ORDER BY a, b"));
    }
}
