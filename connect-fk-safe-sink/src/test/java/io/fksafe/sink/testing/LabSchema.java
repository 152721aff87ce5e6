package io.fksafe.sink.testing;

import org.apache.kafka.connect.data.Schema;

/**
 * The DM safe-mode lab's schema (docs/lab.md): a parent and three children, one per ON DELETE rule,
 * plus the step-11 grandchild under the CASCADE child. Children also cascade ON UPDATE so key changes can be checked.
 */
public final class LabSchema {

    public static final TableDef PARENT =
            TableDef.of("src", "parent").key("id", Schema.INT64_SCHEMA).col("note", Schema.STRING_SCHEMA);
    public static final TableDef CHILD_CASCADE = TableDef.of("src", "child_cascade")
            .key("id", Schema.INT64_SCHEMA)
            .col("parent_id", Schema.INT64_SCHEMA)
            .col("payload", Schema.OPTIONAL_STRING_SCHEMA);
    public static final TableDef CHILD_RESTRICT = TableDef.of("src", "child_restrict")
            .key("id", Schema.INT64_SCHEMA)
            .col("parent_id", Schema.INT64_SCHEMA)
            .col("payload", Schema.OPTIONAL_STRING_SCHEMA);
    public static final TableDef CHILD_SETNULL = TableDef.of("src", "child_setnull")
            .key("id", Schema.INT64_SCHEMA)
            .col("parent_id", Schema.OPTIONAL_INT64_SCHEMA)
            .col("payload", Schema.OPTIONAL_STRING_SCHEMA);
    public static final TableDef GRANDCHILD = TableDef.of("src", "grandchild")
            .key("id", Schema.INT64_SCHEMA)
            .col("child_id", Schema.INT64_SCHEMA)
            .col("payload", Schema.OPTIONAL_STRING_SCHEMA);

    private LabSchema() {}

    /** Creates the lab tables in {@code db}. */
    public static void create(TestDatabase server, String db) {
        server.exec(
                "CREATE TABLE `" + db + "`.parent (id BIGINT PRIMARY KEY, note VARCHAR(100) NOT NULL)",
                "CREATE TABLE `" + db
                        + "`.child_cascade (id BIGINT PRIMARY KEY AUTO_INCREMENT, parent_id BIGINT NOT NULL, "
                        + "payload VARCHAR(50), CONSTRAINT fk_cas FOREIGN KEY (parent_id) REFERENCES `" + db
                        + "`.parent(id) "
                        + "ON DELETE CASCADE ON UPDATE CASCADE)",
                "CREATE TABLE `" + db
                        + "`.child_restrict (id BIGINT PRIMARY KEY AUTO_INCREMENT, parent_id BIGINT NOT NULL, "
                        + "payload VARCHAR(50), CONSTRAINT fk_res FOREIGN KEY (parent_id) REFERENCES `" + db
                        + "`.parent(id) "
                        + "ON DELETE RESTRICT ON UPDATE CASCADE)",
                "CREATE TABLE `" + db + "`.child_setnull (id BIGINT PRIMARY KEY AUTO_INCREMENT, parent_id BIGINT NULL, "
                        + "payload VARCHAR(50), CONSTRAINT fk_null FOREIGN KEY (parent_id) REFERENCES `" + db
                        + "`.parent(id) "
                        + "ON DELETE SET NULL ON UPDATE CASCADE)",
                "CREATE TABLE `" + db
                        + "`.grandchild (id BIGINT PRIMARY KEY, child_id BIGINT NOT NULL, payload VARCHAR(50), "
                        + "CONSTRAINT fk_gc FOREIGN KEY (child_id) REFERENCES `" + db
                        + "`.child_cascade(id) ON DELETE CASCADE)");
    }

    /** The lab's check, as one comparable row set: every row of every table, ordered. */
    public static java.util.List<java.util.List<String>> state(TestDatabase server, String db) {
        java.util.List<java.util.List<String>> out = new java.util.ArrayList<>();
        out.addAll(server.query("SELECT 'parent', id, note, NULL FROM `" + db + "`.parent ORDER BY id"));
        for (String t : new String[] {"child_cascade", "child_restrict", "child_setnull"}) {
            out.addAll(
                    server.query("SELECT '" + t + "', id, parent_id, payload FROM `" + db + "`." + t + " ORDER BY id"));
        }
        out.addAll(server.query("SELECT 'grandchild', id, child_id, payload FROM `" + db + "`.grandchild ORDER BY id"));
        return out;
    }

    /** The lab's COUNTS_BY_PARENT line. */
    public static java.util.List<String> countsByParent(TestDatabase server, String db) {
        String d = "`" + db + "`.";
        return server.query("SELECT "
                        + "(SELECT COUNT(*) FROM " + d + "child_cascade WHERE parent_id=1), (SELECT COUNT(*) FROM " + d
                        + "child_cascade WHERE parent_id=2), "
                        + "(SELECT COUNT(*) FROM " + d + "child_restrict WHERE parent_id=1), (SELECT COUNT(*) FROM " + d
                        + "child_restrict WHERE parent_id=2), "
                        + "(SELECT COUNT(*) FROM " + d + "child_setnull WHERE parent_id=1), (SELECT COUNT(*) FROM " + d
                        + "child_setnull WHERE parent_id=2), "
                        + "(SELECT COUNT(*) FROM " + d + "child_setnull WHERE parent_id IS NULL)")
                .get(0);
    }
}
