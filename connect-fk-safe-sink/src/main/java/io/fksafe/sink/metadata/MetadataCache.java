package io.fksafe.sink.metadata;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Target tables as information_schema describes them, cached until a statement fails with a schema error or DDL runs.
 * Returns null for a table that does not exist. Safe to read from two threads (the task's and its apply thread's);
 * loading needs the connection, whose owner the caller must be.
 */
public final class MetadataCache {

    /** EXTRA says VIRTUAL GENERATED / STORED GENERATED (MySQL, TiDB) or VIRTUAL / PERSISTENT (MariaDB). */
    private static final String COLUMNS = "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, EXTRA "
            + "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";
    /** Unique keys other than the primary key. */
    private static final String UNIQUE_KEYS = "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS "
            + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' "
            + "ORDER BY INDEX_NAME, SEQ_IN_INDEX";

    private static final String PRIMARY_KEY = "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
            + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION";
    private static final String FOREIGN_KEYS = "SELECT k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, "
            + "k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE "
            + "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r "
            + "ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME "
            + "WHERE %s AND k.REFERENCED_TABLE_NAME IS NOT NULL "
            + "ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION";
    private static final String AS_CHILD = "k.TABLE_SCHEMA = ? AND k.TABLE_NAME = ?";
    private static final String AS_PARENT = "k.REFERENCED_TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME = ?";

    private final Map<TableId, TableMeta> cache = new ConcurrentHashMap<>();

    public TableMeta get(Connection conn, TableId id) throws SQLException {
        TableMeta meta = cache.get(id);
        if (meta == null) {
            meta = load(conn, id);
            if (meta != null) {
                cache.put(id, meta);
            }
        }
        return meta;
    }

    /** The cached metadata of {@code id}, or null if it is not cached: then only {@link #get} knows. */
    public TableMeta cached(TableId id) {
        return cache.get(id);
    }

    public void invalidateAll() {
        cache.clear();
    }

    static TableMeta load(Connection conn, TableId id) throws SQLException {
        List<ColumnMeta> columns = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(COLUMNS)) {
            bind(ps, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new ColumnMeta(
                            rs.getString(1),
                            rs.getString(2).toLowerCase(Locale.ROOT),
                            rs.getString(3).toLowerCase(Locale.ROOT),
                            "YES".equals(rs.getString(4)),
                            generated(rs.getString(5))));
                }
            }
        }
        if (columns.isEmpty()) {
            return null;
        }
        List<String> pk = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(PRIMARY_KEY)) {
            bind(ps, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pk.add(rs.getString(1));
                }
            }
        }
        return new TableMeta(
                id,
                columns,
                pk,
                uniqueKeys(conn, id),
                loadForeignKeys(conn, id, AS_CHILD),
                loadForeignKeys(conn, id, AS_PARENT));
    }

    /** MySQL's "DEFAULT_GENERATED" marks an expression default, not a generated column. */
    static boolean generated(String extra) {
        String e = extra == null ? "" : extra.toUpperCase(Locale.ROOT);
        return e.contains("VIRTUAL") || e.contains("STORED") || e.contains("PERSISTENT");
    }

    /** Unique keys by name; {@link TableMeta} picks the row identity among them. */
    private static List<List<String>> uniqueKeys(Connection conn, TableId id) throws SQLException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        try (PreparedStatement ps = conn.prepareStatement(UNIQUE_KEYS)) {
            bind(ps, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(rs.getString(2));
                }
            }
        }
        return List.copyOf(keys.values());
    }

    /** The FKs this table has as a child ({@link #AS_CHILD}) or that point at it ({@link #AS_PARENT}). */
    private static List<ForeignKey> loadForeignKeys(Connection conn, TableId id, String where) throws SQLException {
        Map<String, FkBuilder> fks = new LinkedHashMap<>();
        try (PreparedStatement ps = conn.prepareStatement(String.format(FOREIGN_KEYS, where))) {
            bind(ps, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TableId child = new TableId(rs.getString(1), rs.getString(2));
                    FkBuilder b = fks.computeIfAbsent(child + "." + rs.getString(3), n -> new FkBuilder());
                    b.name = rs.getString(3);
                    b.child = child;
                    b.columns.add(rs.getString(4));
                    b.parent = new TableId(rs.getString(5), rs.getString(6));
                    b.parentColumns.add(rs.getString(7));
                    b.onDelete = FkRule.parse(rs.getString(8));
                    b.onUpdate = FkRule.parse(rs.getString(9));
                }
            }
        }
        List<ForeignKey> out = new ArrayList<>();
        for (FkBuilder b : fks.values()) {
            out.add(new ForeignKey(
                    b.name,
                    b.child,
                    List.copyOf(b.columns),
                    b.parent,
                    List.copyOf(b.parentColumns),
                    b.onDelete,
                    b.onUpdate));
        }
        return out;
    }

    private static void bind(PreparedStatement ps, TableId id) throws SQLException {
        ps.setString(1, id.database());
        ps.setString(2, id.table());
    }

    private static final class FkBuilder {
        String name;
        TableId child;
        final List<String> columns = new ArrayList<>();
        TableId parent;
        final List<String> parentColumns = new ArrayList<>();
        FkRule onDelete;
        FkRule onUpdate;
    }
}
