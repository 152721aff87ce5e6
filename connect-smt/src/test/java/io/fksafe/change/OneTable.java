package io.fksafe.change;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/** The key and row schemas of one small source table, {@code src.t (id BIGINT PRIMARY KEY, name TEXT)}, for tests. */
final class OneTable {

    static final Schema KEY = SchemaBuilder.struct()
            .name("src.t.Key")
            .field("id", Schema.INT64_SCHEMA)
            .build();
    static final Schema ROW = SchemaBuilder.struct()
            .name("src.t.Value")
            .optional()
            .field("id", Schema.INT64_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private OneTable() {}

    static Struct key(long id) {
        return new Struct(KEY).put("id", id);
    }

    static Struct row(long id, String name) {
        return new Struct(ROW).put("id", id).put("name", name);
    }
}
