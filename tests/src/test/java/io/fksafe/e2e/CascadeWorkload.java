package io.fksafe.e2e;

import java.util.List;

import io.fksafe.stack.Db;

/**
 * The end-to-end tests' parent / child / grandchild schema, with cascades the binlog never shows, and the rounds of
 * transactions written to it.
 */
final class CascadeWorkload {

    private CascadeWorkload() {}

    /**
     * {@code db} with parent, child (ON UPDATE CASCADE, ON DELETE CASCADE) and grandchild (ON UPDATE CASCADE, ON
     * DELETE SET NULL), run with {@code db} as the session's default, as a migration tool connected to it would.
     */
    static List<String> schema(String db) {
        return List.of(
                "CREATE DATABASE " + db,
                "USE " + db,
                "CREATE TABLE parent (id BIGINT PRIMARY KEY, note VARCHAR(40) NOT NULL)",
                "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL, note VARCHAR(40), "
                        + "FOREIGN KEY (parent_id) REFERENCES parent(id) ON UPDATE CASCADE ON DELETE CASCADE)",
                "CREATE TABLE grandchild (id BIGINT PRIMARY KEY, child_id BIGINT NULL, note VARCHAR(40), "
                        + "FOREIGN KEY (child_id) REFERENCES child(id) ON UPDATE CASCADE ON DELETE SET NULL)");
    }

    /**
     * One round, two transactions: {@code parents} parents with two children and two grandchildren each; then the
     * children's notes updated, 5 parents re-keyed (their children follow), 10 deleted (their children deleted, the
     * grandchildren's reference set to NULL, none of it in the binlog) and one parent added. {@code parents} ≥ 20.
     */
    static void round(Db src, String db, int round, int parents) {
        long base = round * 100_000L;
        src.exec(
                "USE " + db,
                "START TRANSACTION",
                "INSERT INTO parent SELECT " + base + " + seq, CONCAT('p', seq) FROM seq_1_to_" + parents,
                "INSERT INTO child SELECT " + base + " + p.seq * 10 + k.seq, " + base + " + p.seq, 'c' "
                        + "FROM seq_1_to_" + parents + " p JOIN seq_1_to_2 k",
                "INSERT INTO grandchild SELECT " + base + " + p.seq * 100 + k.seq, " + base
                        + " + p.seq * 10 + k.seq, 'g' FROM seq_1_to_" + parents + " p JOIN seq_1_to_2 k",
                "COMMIT");
        src.exec(
                "USE " + db,
                "START TRANSACTION",
                "UPDATE child SET note = CONCAT('u', id) WHERE parent_id BETWEEN " + base + " AND " + (base + 99_999),
                "UPDATE parent SET id = id + 50000 WHERE id BETWEEN " + base + " + 1 AND " + base + " + 5",
                "DELETE FROM parent WHERE id BETWEEN " + base + " + 11 AND " + base + " + 20",
                "INSERT INTO parent VALUES (" + base + " + 99999, 'late')",
                "COMMIT");
    }

    /** Grandchildren whose child was deleted: the SET NULL the binlog never shows. */
    static long nulledGrandchildren(Db db, String database) {
        return db.count("SELECT COUNT(*) FROM " + database + ".grandchild WHERE child_id IS NULL");
    }
}
