package io.fksafe.sink.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.TableDef;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * Debezium puts each column's DEFAULT in its field schemas, and Connect's {@code Struct.get} answers a null field with
 * that default: a NULL must be read as NULL ({@code getWithoutDefault}), or it reaches the target as the DEFAULT.
 */
class NullWithDefaultTest {

    private final TestDatabase db = TestDatabase.get();

    private static final TableDef ND = TableDef.of("src", "nd")
            .key("id", Schema.INT64_SCHEMA)
            .col("d", SchemaBuilder.int32().optional().defaultValue(5).build())
            .col("s", SchemaBuilder.string().optional().defaultValue("dflt").build());

    @Test
    void nullInAColumnWhoseSchemaHasADefault_isWrittenAsNull_onInsertUpdateAndKeyChange() {
        String target = db.newDatabase("nulldefault");
        db.exec("CREATE TABLE `" + target
                + "`.nd (id BIGINT PRIMARY KEY, d INT NULL DEFAULT 5, s VARCHAR(10) DEFAULT 'dflt')");
        ChangeStream stream = new ChangeStream()
                .tx(ND.insert(1L, null, null), ND.insert(2L, 7, "x"), ND.insert(3L, 8, "y"))
                .tx(ND.update(2L, null, null))
                .tx(ND.keyUpdate(new Object[] {3L}, 4L, null, null));
        try (TaskRunner t =
                new TaskRunner(TaskRunner.props("nd-" + target, "table.mapping", "src.*=" + target + ".*"))) {
            t.deliver(stream.all());
        }
        assertEquals(
                List.of(Arrays.asList("1", null, null), Arrays.asList("2", null, null), Arrays.asList("4", null, null)),
                db.query("SELECT id, d, s FROM `" + target + "`.nd ORDER BY id"));
    }
}
