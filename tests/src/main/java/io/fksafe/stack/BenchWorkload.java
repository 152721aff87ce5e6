package io.fksafe.stack;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The bench's workload, the shape of the sink's task-level ApplyThroughputBenchmarkTest: P parents and 4P children
 * inserted in 10-row transactions (2 parents and their 8 children each), P child updates in 10-row transactions,
 * P/10 single-row parent deletes that cascade to their children (on the source, and so invisible in the binlog).
 * Also the raw JDBC ceiling: the source's final rows written in 500-row upserts, ~5,000 rows per transaction.
 */
final class BenchWorkload {

    static final String DB = "bench";

    final int parents;

    BenchWorkload(int parents) {
        if (parents < 10 || parents % 10 != 0) {
            throw new IllegalArgumentException("--parents must be a multiple of 10, at least 10: " + parents);
        }
        this.parents = parents;
    }

    int updates() {
        return parents;
    }

    int deletes() {
        return parents / 10;
    }

    /** Row change events the binlog holds (cascaded child deletes are not among them). */
    long rowEvents() {
        return parents + 4L * parents + updates() + deletes();
    }

    long transactions() {
        return parents / 2 + updates() / 10 + deletes();
    }

    /** Row changes in the source transaction numbered {@code k} from 0, in commit order. */
    int rowsOf(int k) {
        return k < parents / 2 + updates() / 10 ? 10 : 1;
    }

    /** The tables, with a cascading FK; the same on the source and every target. */
    static List<String> schema(String db) {
        return List.of(
                "CREATE DATABASE `" + db + "`",
                "CREATE TABLE `" + db + "`.parent (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL)",
                "CREATE TABLE `" + db
                        + "`.child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL, note VARCHAR(100) NOT NULL, "
                        + "CONSTRAINT child_parent FOREIGN KEY (parent_id) REFERENCES `" + db
                        + "`.parent (id) ON DELETE CASCADE)");
    }

    /** Runs the workload on the source, printing progress every ~2 s. */
    void load(Db source, PrintStream out) throws SQLException {
        load(source, out, committedAt -> {});
    }

    /**
     * Runs the workload on the source, printing progress every ~2 s; {@code onCommit} gets {@link System#nanoTime()}
     * right after each source transaction's COMMIT returned, in commit order (the end-to-end mode's clock).
     */
    void load(Db source, PrintStream out, LongConsumer onCommit) throws SQLException {
        long t0 = System.nanoTime();
        long next = t0;
        long done = 0;
        try (Connection c = source.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO `" + DB + "`.parent VALUES (?, ?), (?, ?)");
                    PreparedStatement ch = c.prepareStatement(
                            "INSERT INTO `" + DB + "`.child VALUES "
                                    + "(?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?)")) {
                for (long id = 1; id <= parents; id += 2) {
                    int pi = 1;
                    int ci = 1;
                    for (long k = id; k < id + 2; k++) {
                        p.setLong(pi++, k);
                        p.setString(pi++, "parent " + k);
                        for (int j = 0; j < 4; j++) {
                            ch.setLong(ci++, k * 4 + j);
                            ch.setLong(ci++, k);
                            ch.setString(ci++, "child " + j + " of " + k);
                        }
                    }
                    p.executeUpdate();
                    ch.executeUpdate();
                    c.commit();
                    onCommit.accept(System.nanoTime());
                    done += 10;
                    next = progress(out, "load", done, t0, next);
                }
            }
            try (PreparedStatement u = c.prepareStatement("UPDATE `" + DB + "`.child SET note = CONCAT('updated ', ?) "
                    + "WHERE id IN (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < updates(); i += 10) {
                    u.setInt(1, i);
                    for (int k = 0; k < 10; k++) {
                        u.setLong(2 + k, ((i + k) % parents + 1) * 4L); // the first child of 10 distinct parents
                    }
                    u.executeUpdate();
                    c.commit();
                    onCommit.accept(System.nanoTime());
                    done += 10;
                    next = progress(out, "load", done, t0, next);
                }
            }
            c.setAutoCommit(true);
            try (PreparedStatement d = c.prepareStatement("DELETE FROM `" + DB + "`.parent WHERE id = ?")) {
                for (int i = 1; i <= deletes(); i++) {
                    d.setLong(1, i * 10L);
                    d.executeUpdate(); // autocommit: its own transaction
                    onCommit.accept(System.nanoTime());
                    done++;
                    next = progress(out, "load", done, t0, next);
                }
            }
        }
        out.printf(
                "  load: %,d row changes in %,d transactions on the source in %.1f s%n",
                done, transactions(), (System.nanoTime() - t0) / 1e9);
    }

    private long progress(PrintStream out, String what, long done, long t0, long next) {
        long now = System.nanoTime();
        if (now < next) {
            return next;
        }
        out.printf("  %s: %,d / %,d (%.0f s)%n", what, done, rowEvents(), (now - t0) / 1e9);
        return now + 2_000_000_000L;
    }

    /** The raw JDBC ceiling: copies the source's final rows into {@code db} on the target; returns rows written. */
    static long rawCopy(Db source, Db target, String db) throws SQLException {
        List<Object[]> parents = rows(source, "SELECT id, name FROM `" + DB + "`.parent ORDER BY id", 2);
        List<Object[]> children = rows(source, "SELECT id, parent_id, note FROM `" + DB + "`.child ORDER BY id", 3);
        try (Connection c = target.connect()) {
            c.setAutoCommit(false);
            write(c, db, "parent", 2, "name = VALUES(name)", parents);
            write(c, db, "child", 3, "parent_id = VALUES(parent_id), note = VALUES(note)", children);
            c.setAutoCommit(true);
        }
        return parents.size() + children.size();
    }

    private static void write(Connection c, String db, String table, int cols, String update, List<Object[]> rows)
            throws SQLException {
        String row = "(" + "?, ".repeat(cols - 1) + "?)";
        int inTx = 0;
        for (int from = 0; from < rows.size(); from += 500) {
            int n = Math.min(500, rows.size() - from);
            String sql = "INSERT INTO `" + db + "`." + table + " VALUES " + (row + ", ").repeat(n - 1) + row
                    + " ON DUPLICATE KEY UPDATE " + update;
            try (PreparedStatement st = c.prepareStatement(sql)) {
                int i = 1;
                for (int r = from; r < from + n; r++) {
                    for (Object v : rows.get(r)) {
                        st.setObject(i++, v);
                    }
                }
                st.executeUpdate();
            }
            inTx += n;
            if (inTx >= 5_000) {
                c.commit();
                inTx = 0;
            }
        }
        c.commit();
    }

    private static List<Object[]> rows(Db db, String sql, int cols) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (Connection c = db.connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                Object[] r = new Object[cols];
                for (int i = 0; i < cols; i++) {
                    r[i] = rs.getObject(i + 1);
                }
                out.add(r);
            }
        }
        return out;
    }
}
