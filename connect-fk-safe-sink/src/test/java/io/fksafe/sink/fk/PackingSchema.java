package io.fksafe.sink.fk;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import org.apache.kafka.connect.data.Schema;

import io.fksafe.sink.testing.TableDef;
import io.fksafe.sink.testing.TestDatabase;

/**
 * The schema of {@link PackingDifferentialTest}: every FK rule on delete and update, a composite key, a child with two
 * FKs to one parent, a grandchild under two children, a self-referencing table, a unique secondary key, a string key
 * under a case- and accent-insensitive collation, a keyless table and an unrelated one. Small key ranges, so random
 * changes collide, re-insert deleted keys and trip FK rules often.
 */
final class PackingSchema {

    /** One table: its columns (key columns first), how many are key columns, and a random full row. */
    record Spec(String name, List<String> columns, int keyCount, TableDef def, Function<Random, Object[]> randomRow) {
        boolean keyless() {
            return keyCount == 0;
        }
    }

    static final List<Spec> TABLES = new ArrayList<>();

    private static final String CI = " COLLATE utf8mb4_general_ci";

    private static final String[] DDL = {
        "CREATE TABLE %s.p (id INT PRIMARY KEY, v INT NOT NULL)",
        "CREATE TABLE %s.q (a INT, b INT, v INT NOT NULL, PRIMARY KEY (a, b))",
        "CREATE TABLE %s.cc (id INT PRIMARY KEY, p_id INT NULL, v INT NOT NULL, CONSTRAINT cc_p FOREIGN KEY (p_id) "
                + "REFERENCES %s.p (id) ON DELETE CASCADE ON UPDATE CASCADE)",
        "CREATE TABLE %s.cn (id INT PRIMARY KEY, p_id INT NULL, v INT NOT NULL, CONSTRAINT cn_p FOREIGN KEY (p_id) "
                + "REFERENCES %s.p (id) ON DELETE SET NULL ON UPDATE SET NULL)",
        "CREATE TABLE %s.cr (id INT PRIMARY KEY, p_id INT NULL, v INT NOT NULL, CONSTRAINT cr_p FOREIGN KEY (p_id) "
                + "REFERENCES %s.p (id) ON DELETE RESTRICT ON UPDATE RESTRICT)",
        "CREATE TABLE %s.cq (id INT PRIMARY KEY, qa INT NULL, qb INT NULL, v INT NOT NULL, CONSTRAINT cq_q FOREIGN KEY "
                + "(qa, qb) REFERENCES %s.q (a, b) ON DELETE NO ACTION ON UPDATE CASCADE)",
        "CREATE TABLE %s.g (id INT PRIMARY KEY, cc_id INT NULL, cn_id INT NULL, v INT NOT NULL, "
                + "CONSTRAINT g_cc FOREIGN KEY (cc_id) REFERENCES %s.cc (id) ON DELETE CASCADE ON UPDATE CASCADE, "
                + "CONSTRAINT g_cn FOREIGN KEY (cn_id) REFERENCES %s.cn (id) ON DELETE SET NULL ON UPDATE CASCADE)",
        "CREATE TABLE %s.d (id INT PRIMARY KEY, a_id INT NULL, b_id INT NULL, v INT NOT NULL, "
                + "CONSTRAINT d_a FOREIGN KEY (a_id) REFERENCES %s.p (id) ON DELETE CASCADE ON UPDATE CASCADE, "
                + "CONSTRAINT d_b FOREIGN KEY (b_id) REFERENCES %s.p (id) ON DELETE RESTRICT ON UPDATE NO ACTION)",
        "CREATE TABLE %s.t (id INT PRIMARY KEY, up INT NULL, p_id INT NULL, v INT NOT NULL, "
                + "CONSTRAINT t_up FOREIGN KEY (up) REFERENCES %s.t (id) ON DELETE CASCADE ON UPDATE CASCADE, "
                + "CONSTRAINT t_p FOREIGN KEY (p_id) REFERENCES %s.p (id) ON DELETE SET NULL ON UPDATE CASCADE)",
        "CREATE TABLE %s.u (id INT PRIMARY KEY, email INT NOT NULL, p_id INT NULL, v INT NOT NULL, UNIQUE KEY u_email (email), "
                + "CONSTRAINT u_p FOREIGN KEY (p_id) REFERENCES %s.p (id) ON DELETE CASCADE ON UPDATE CASCADE)",
        "CREATE TABLE %s.s (code VARCHAR(4)" + CI + " PRIMARY KEY, v INT NOT NULL)",
        "CREATE TABLE %s.cs (id INT PRIMARY KEY, s_code VARCHAR(4)" + CI + " NULL, v INT NOT NULL, CONSTRAINT cs_s "
                + "FOREIGN KEY (s_code) REFERENCES %s.s (code) ON DELETE CASCADE ON UPDATE CASCADE)",
        "CREATE TABLE %s.k (a INT NOT NULL, b INT NULL)",
        "CREATE TABLE %s.x (id INT PRIMARY KEY, v INT NOT NULL)",
    };

    private static final String[] CODES = {"a", "A", "b", "e", "\u00e9", "c", "c "};

    static {
        table("p", 1, r -> row(r.nextInt(5) + 1, v(r)), "id", "v");
        table("q", 2, r -> row(r.nextInt(2) + 1, r.nextInt(3) + 1, v(r)), "a", "b", "v");
        table("cc", 1, r -> row(r.nextInt(8) + 1, ref(r, 5), v(r)), "id", "p_id", "v");
        table("cn", 1, r -> row(r.nextInt(6) + 1, ref(r, 5), v(r)), "id", "p_id", "v");
        table("cr", 1, r -> row(r.nextInt(6) + 1, ref(r, 7), v(r)), "id", "p_id", "v");
        table("cq", 1, r -> row(r.nextInt(6) + 1, ref(r, 2), ref(r, 3), v(r)), "id", "qa", "qb", "v");
        table("g", 1, r -> row(r.nextInt(8) + 1, ref(r, 8), ref(r, 6), v(r)), "id", "cc_id", "cn_id", "v");
        table("d", 1, r -> row(r.nextInt(5) + 1, ref(r, 7), ref(r, 7), v(r)), "id", "a_id", "b_id", "v");
        table("t", 1, r -> row(r.nextInt(6) + 1, ref(r, 6), ref(r, 7), v(r)), "id", "up", "p_id", "v");
        table("u", 1, r -> row(r.nextInt(5) + 1, r.nextInt(4) + 1, ref(r, 7), v(r)), "id", "email", "p_id", "v");
        table("s", 1, r -> row(CODES[r.nextInt(CODES.length)], v(r)), "code", "v");
        table(
                "cs",
                1,
                r -> row(r.nextInt(6) + 1, r.nextInt(5) == 0 ? null : CODES[r.nextInt(CODES.length)], v(r)),
                "id",
                "s_code",
                "v");
        table("k", 0, r -> row(r.nextInt(3) + 1, r.nextInt(3) == 0 ? null : r.nextInt(2) + 1), "a", "b");
        table("x", 1, r -> row(r.nextInt(6) + 1, v(r)), "id", "v");
    }

    /** Tables of the parent, child and grandchild chain come up more often: that is where packing moves rows. */
    private static final String[] WEIGHTED = {
        "p", "p", "p", "p", "cc", "cc", "cc", "cc", "g", "g", "g", "cn", "cn", "q", "cq", "cr", "d", "t", "u", "s",
        "cs", "k", "x"
    };

    private PackingSchema() {}

    static Spec pick(Random random) {
        String name = WEIGHTED[random.nextInt(WEIGHTED.length)];
        return TABLES.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    static void create(TestDatabase server, String db) {
        for (String ddl : DDL) {
            server.exec(ddl.replace("%s", "`" + db + "`"));
        }
    }

    /** Empties every table, so one set of databases serves every seed. */
    static void clear(TestDatabase server, String db) {
        List<String> sql = new ArrayList<>();
        sql.add("SET foreign_key_checks = 0");
        TABLES.forEach(t -> sql.add("DELETE FROM `" + db + "`." + t.name()));
        sql.add("SET foreign_key_checks = 1");
        server.exec(sql.toArray(new String[0]));
    }

    /** Every row of every table, tagged with the table's name, in a fixed order: one connection, for speed. */
    static List<List<String>> dump(TestDatabase server, String db) {
        List<List<String>> out = new ArrayList<>();
        try (java.sql.Connection c = server.connect();
                java.sql.Statement st = c.createStatement()) {
            for (Spec t : TABLES) {
                String cols = String.join(", ", t.columns());
                try (java.sql.ResultSet rs =
                        st.executeQuery("SELECT " + cols + " FROM `" + db + "`." + t.name() + " ORDER BY " + cols)) {
                    while (rs.next()) {
                        List<String> row = new ArrayList<>();
                        row.add(t.name());
                        for (int i = 1; i <= t.columns().size(); i++) {
                            row.add(rs.getString(i));
                        }
                        out.add(row);
                    }
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not read " + db + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static void table(String name, int keyCount, Function<Random, Object[]> randomRow, String... columns) {
        TableDef def = TableDef.of("src", name);
        for (int i = 0; i < columns.length; i++) {
            String c = columns[i];
            boolean str = name.equals("s") && i == 0 || name.equals("cs") && i == 1;
            boolean optional = !(i < keyCount || keyCount == 0 && i == 0 || c.equals("v") || c.equals("email"));
            Schema schema = str
                    ? (optional ? Schema.OPTIONAL_STRING_SCHEMA : Schema.STRING_SCHEMA)
                    : optional ? Schema.OPTIONAL_INT32_SCHEMA : Schema.INT32_SCHEMA;
            // a keyless table is keyed by its whole row image, as the SMT does
            def = i < keyCount || keyCount == 0 ? def.key(c, schema) : def.col(c, schema);
        }
        TABLES.add(new Spec(name, List.of(columns), keyCount, def, randomRow));
    }

    private static Object[] row(Object... values) {
        return values;
    }

    private static int v(Random r) {
        return r.nextInt(100);
    }

    /** A reference into 1..max (sometimes one past what usually exists) or NULL. */
    private static Integer ref(Random r, int max) {
        return r.nextInt(6) == 0 ? null : r.nextInt(max) + 1;
    }
}
