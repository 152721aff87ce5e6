package io.fksafe.sink.apply;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.fksafe.sink.metadata.ForeignKey;
import io.fksafe.sink.metadata.TableMeta;
import io.fksafe.sink.plan.PlannedRow;
import io.fksafe.sink.plan.RowOp;
import io.fksafe.sink.target.TargetSession;

/** Binds planned rows into (multi-row) statements and runs them; no decisions, just SQL. */
final class StatementRunner {

    private record SqlKey(
            TableMeta table, RowOp op, List<String> columns, List<String> keyColumns, boolean byRowImage, int rows) {
        SqlKey(PlannedRow r, RowOp op, int rows) {
            this(r.table(), op, r.columns(), r.keyColumns(), r.byRowImage(), rows);
        }
    }

    private final TargetSession session;
    private final int statementMaxRows;
    private final Map<SqlKey, String> sql = new HashMap<>();
    long statements;

    StatementRunner(TargetSession session, int statementMaxRows) {
        this.session = session;
        this.statementMaxRows = statementMaxRows;
    }

    /** Upserts rows in chunks of at most statement.max.rows, keeping their order. */
    void upsert(List<PlannedRow> rows) throws SQLException {
        for (int from = 0; from < rows.size(); from += statementMaxRows) {
            List<PlannedRow> chunk = rows.subList(from, Math.min(rows.size(), from + statementMaxRows));
            PreparedStatement ps = session.prepare(upsertSql(chunk.get(0), chunk.size()));
            bindRows(ps, chunk, false);
            execute(ps);
        }
    }

    void upsertOne(PlannedRow row, Object[] values) throws SQLException {
        PreparedStatement ps = session.prepare(upsertSql(row, 1));
        bind(ps, 1, values);
        execute(ps);
    }

    /**
     * Deletes rows; several per statement unless the table references itself, where a row may be the parent of a
     * later row in the same list and InnoDB checks each row as it goes.
     */
    int delete(List<PlannedRow> rows) throws SQLException {
        int step = rows.get(0).table().selfReferencing() || rows.get(0).byRowImage() ? 1 : statementMaxRows;
        int affected = 0;
        for (int from = 0; from < rows.size(); from += step) {
            List<PlannedRow> chunk = rows.subList(from, Math.min(rows.size(), from + step));
            PlannedRow first = chunk.get(0);
            String text = sql.computeIfAbsent(
                    new SqlKey(first, RowOp.DELETE, chunk.size()),
                    k -> k.byRowImage()
                            ? dialect().deleteByRowImage(k.table().id(), k.keyColumns())
                            : dialect().delete(k.table().id(), k.keyColumns(), k.rows()));
            PreparedStatement ps = session.prepare(text);
            bindRows(ps, chunk, true);
            affected += execute(ps);
        }
        return affected;
    }

    /** Returns the number of rows the UPDATE found: 0 means the old key is not in the target. */
    int keyUpdate(PlannedRow row) throws SQLException {
        String text = sql.computeIfAbsent(
                new SqlKey(row, RowOp.KEY_UPDATE, 1),
                k -> k.byRowImage()
                        ? dialect().updateByRowImage(k.table().id(), k.columns(), k.keyColumns())
                        : dialect().keyUpdate(k.table().id(), k.columns(), k.keyColumns()));
        PreparedStatement ps = session.prepare(text);
        int i = bind(ps, 1, row.values());
        bind(ps, i, row.key());
        return execute(ps);
    }

    boolean parentExists(ForeignKey fk, Object[] values) throws SQLException {
        return exists(dialect().parentExists(fk), values);
    }

    boolean rowExists(PlannedRow row) throws SQLException {
        return exists(
                row.byRowImage()
                        ? dialect().rowImageExists(row.table().id(), row.keyColumns())
                        : dialect().rowExists(row.table().id(), row.keyColumns()),
                row.key());
    }

    private boolean exists(String query, Object[] values) throws SQLException {
        PreparedStatement ps = session.prepare(query);
        bind(ps, 1, values);
        statements++;
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    /** Moves the children of {@code oldKey} to {@code newKey}, or sets their FK columns NULL when newKey is null. */
    int repointChildren(ForeignKey fk, Object[] oldKey, Object[] newKey) throws SQLException {
        PreparedStatement ps = session.prepare(dialect().repointChildren(fk, newKey == null));
        int i = newKey == null ? 1 : bind(ps, 1, newKey);
        bind(ps, i, oldKey);
        return execute(ps);
    }

    int deleteChildren(ForeignKey fk, Object[] parentKey) throws SQLException {
        PreparedStatement ps = session.prepare(dialect().deleteChildren(fk));
        bind(ps, 1, parentKey);
        return execute(ps);
    }

    private String upsertSql(PlannedRow first, int rows) {
        // A keyless table may still have a unique key with NULLable columns: a collision there takes the new image.
        return sql.computeIfAbsent(
                new SqlKey(first, RowOp.UPSERT, rows),
                k -> dialect()
                        .upsert(k.table().id(), k.columns(), k.byRowImage() ? List.of() : k.keyColumns(), k.rows()));
    }

    private int execute(PreparedStatement ps) throws SQLException {
        statements++;
        return ps.executeUpdate();
    }

    private io.fksafe.sink.dialect.Dialect dialect() {
        try {
            return session.dialect();
        } catch (SQLException e) {
            throw new IllegalStateException("statements are built only on an open session", e);
        }
    }

    /**
     * The rows' values (or keys) one after another, the last row's bound first: the MariaDB driver's parameter list
     * starts at ten after clearParameters and grows by half as indexes arrive, so a multi-row statement bound in
     * order copies it over and over; one set at the highest index sizes it once. Same parameters either way.
     */
    private static void bindRows(PreparedStatement ps, List<PlannedRow> rows, boolean keys) throws SQLException {
        int last = rows.size() - 1;
        int lastStart = 1;
        for (int k = 0; k < last; k++) {
            lastStart += part(rows.get(k), keys).length;
        }
        bind(ps, lastStart, part(rows.get(last), keys));
        int i = 1;
        for (int k = 0; k < last; k++) {
            i = bind(ps, i, part(rows.get(k), keys));
        }
    }

    private static Object[] part(PlannedRow r, boolean keys) {
        return keys ? r.key() : r.values();
    }

    static int bind(PreparedStatement ps, int start, Object[] values) throws SQLException {
        int i = start;
        for (Object v : values) {
            bindOne(ps, i++, v);
        }
        return i;
    }

    /**
     * Longs, strings and ints (most of what rows carry: keys, text, temporal values as text) go through their typed
     * setter, which is what setObject maps those classes to in both drivers (MariaDB: the same codec; Connector/J:
     * the same MySQL type), and which spares the MariaDB driver asking each of its codecs in turn whether it takes the
     * value, for every parameter. Everything else still goes through setObject, unchanged.
     */
    private static void bindOne(PreparedStatement ps, int i, Object v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.NULL);
        } else if (v instanceof Long l) {
            ps.setLong(i, l);
        } else if (v instanceof String s) {
            ps.setString(i, s);
        } else if (v instanceof Integer n) {
            ps.setInt(i, n);
        } else {
            ps.setObject(i, v);
        }
    }

    /** Cached SQL refers to table metadata; drop it when metadata is refreshed. */
    void forgetSql() {
        sql.clear();
    }
}
