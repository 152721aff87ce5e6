package io.fksafe.sink.fk;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;

import io.fksafe.change.ChangeRecord;
import io.fksafe.sink.fk.PackingSchema.Spec;

/**
 * Runs random single-row INSERT / UPDATE / key-changing UPDATE / DELETE statements on a real source database with FK
 * checks on, and records each one that succeeded as the binlog has it: the explicitly changed row only, with its
 * stored before and after images. Rows the source's FK rules cascaded to or nulled are not recorded, exactly as
 * MariaDB and MySQL leave them out of the binlog; a statement that fails (FK, duplicate key) is simply not emitted.
 */
final class SourceRecorder {

    /** One binlogged row change, and how to print it in a reproduction. */
    record Event(String text, ChangeRecord change) {
        @Override
        public String toString() {
            return text;
        }
    }

    private final Connection conn;
    private final String db;
    private final Random random;

    SourceRecorder(Connection conn, String db, Random random) {
        this.conn = conn;
        this.db = db;
        this.random = random;
    }

    List<Event> run(int statements) throws SQLException {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < statements; i++) {
            Spec t = PackingSchema.pick(random);
            int dice = random.nextInt(100);
            Event e = t.keyless()
                    ? keyless(t, dice)
                    : dice < 50 ? insert(t) : dice < 72 ? update(t, false) : dice < 77 ? update(t, true) : delete(t);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    private Event insert(Spec t) throws SQLException {
        Object[] row = t.randomRow().apply(random);
        if (!run(
                "INSERT INTO " + name(t) + " (" + String.join(", ", t.columns()) + ") VALUES (" + marks(row.length)
                        + ")",
                row)) {
            return null;
        }
        Object[] stored = select(t, key(t, row));
        return new Event(
                "insert " + t.name() + " " + Arrays.toString(stored), t.def().insert(stored));
    }

    /** {@code newKey}: also give the row a random new key (a key change when it differs from the stored one). */
    private Event update(Spec t, boolean newKey) throws SQLException {
        Object[] wanted = t.randomRow().apply(random);
        Object[] before = select(t, key(t, wanted));
        if (before == null) {
            return null;
        }
        Object[] oldKey = key(t, before);
        Object[] target = wanted.clone();
        if (!newKey) {
            System.arraycopy(before, 0, target, 0, t.keyCount());
        } else {
            Object[] other = t.randomRow().apply(random);
            System.arraycopy(other, 0, target, 0, t.keyCount());
        }
        StringJoiner set = new StringJoiner(", ");
        t.columns().forEach(c -> set.add(c + " = ?"));
        Object[] params = concat(target, oldKey);
        if (!run("UPDATE " + name(t) + " SET " + set + " WHERE " + keyPredicate(t), params)) {
            return null;
        }
        Object[] after = select(t, key(t, target));
        if (Arrays.equals(before, after)) {
            return null; // nothing changed: no row event
        }
        if (Arrays.equals(oldKey, key(t, after))) {
            return new Event(
                    "update " + t.name() + " " + Arrays.toString(after), t.def().update(after));
        }
        return new Event(
                "key-update " + t.name() + " " + Arrays.toString(oldKey) + " -> " + Arrays.toString(after),
                t.def().keyUpdate(oldKey, after));
    }

    private Event delete(Spec t) throws SQLException {
        Object[] before = select(t, key(t, t.randomRow().apply(random)));
        if (before == null) {
            return null;
        }
        Object[] oldKey = key(t, before);
        if (!run("DELETE FROM " + name(t) + " WHERE " + keyPredicate(t), oldKey)) {
            return null;
        }
        return new Event(
                "delete " + t.name() + " " + Arrays.toString(oldKey), t.def().delete(oldKey));
    }

    /** A table without a key: rows are their whole image; the binlog carries before and after images. */
    private Event keyless(Spec t, int dice) throws SQLException {
        Object[] row = t.randomRow().apply(random);
        List<Object[]> rows = selectAll(t);
        if (dice < 45 || rows.isEmpty()) {
            run("INSERT INTO " + name(t) + " (a, b) VALUES (?, ?)", row);
            return new Event(
                    "insert " + t.name() + " " + Arrays.toString(row), t.def().insert(row));
        }
        Object[] old = rows.get(random.nextInt(rows.size()));
        if (dice < 75) {
            if (Arrays.equals(old, row)) {
                return null;
            }
            run("UPDATE " + name(t) + " SET a = ?, b = ? WHERE a = ? AND b <=> ? LIMIT 1", concat(row, old));
            return new Event(
                    "update " + t.name() + " " + Arrays.toString(old) + " -> " + Arrays.toString(row),
                    t.def().keyUpdate(old, row));
        }
        run("DELETE FROM " + name(t) + " WHERE a = ? AND b <=> ? LIMIT 1", old);
        return new Event(
                "delete " + t.name() + " " + Arrays.toString(old), t.def().delete(old));
    }

    private boolean run(String sql, Object[] params) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, params);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (e.getErrorCode() == 1451 || e.getErrorCode() == 1452 || e.getErrorCode() == 1062) {
                return false; // the source refused it: nothing in the binlog
            }
            throw e;
        }
    }

    private Object[] select(Spec t, Object[] key) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT " + String.join(", ", t.columns()) + " FROM " + name(t) + " WHERE " + keyPredicate(t))) {
            bind(ps, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? read(rs, t.columns().size()) : null;
            }
        }
    }

    private List<Object[]> selectAll(Spec t) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT a, b FROM " + name(t) + " ORDER BY a, b");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs, 2));
            }
        }
        return out;
    }

    private static Object[] read(ResultSet rs, int n) throws SQLException {
        Object[] row = new Object[n];
        for (int i = 0; i < n; i++) {
            row[i] = rs.getObject(i + 1);
        }
        return row;
    }

    private String name(Spec t) {
        return "`" + db + "`." + t.name();
    }

    private static String keyPredicate(Spec t) {
        StringJoiner where = new StringJoiner(" AND ");
        t.columns().subList(0, t.keyCount()).forEach(c -> where.add(c + " = ?"));
        return where.toString();
    }

    private static Object[] key(Spec t, Object[] row) {
        return Arrays.copyOf(row, t.keyCount());
    }

    private static String marks(int n) {
        StringJoiner j = new StringJoiner(", ");
        for (int i = 0; i < n; i++) {
            j.add("?");
        }
        return j.toString();
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void bind(PreparedStatement ps, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setObject(i + 1, values[i]);
        }
    }
}
