package io.fksafe.sink.ddl;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Answers {@link CatalogProbe}s from the target's information_schema. */
final class CatalogInspector {

    private static final String SCHEMATA = "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?";
    private static final String TABLES =
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?";
    private static final String COLUMNS = "SELECT COUNT(*) FROM information_schema.COLUMNS "
            + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?";
    private static final String INDEX = "SELECT COUNT(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS "
            + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = ?";
    private static final String INDEX_COLUMNS = "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS "
            + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX";
    private static final String CONSTRAINT = "SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS "
            + "WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = ?";
    private static final String CHECKS = "SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS "
            + "WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_TYPE = 'CHECK'";
    private static final String FOREIGN_KEYS =
            "SELECT CONSTRAINT_NAME, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, "
                    + "REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE "
                    + "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL "
                    + "ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION";

    private CatalogInspector() {}

    static long count(Connection conn, CatalogProbe p) throws SQLException {
        return switch (p.kind()) {
            case DATABASE -> single(conn, SCHEMATA, p.database());
            case TABLE -> single(conn, TABLES, p.database(), p.table());
            case COLUMN -> single(conn, COLUMNS, p.database(), p.table(), p.name());
            case INDEX -> single(conn, INDEX, p.database(), p.table(), p.name());
            case CONSTRAINT -> single(conn, CONSTRAINT, p.database(), p.table(), p.name());
            case CHECKS -> single(conn, CHECKS, p.database(), p.table());
            case INDEX_ON -> indexesOn(conn, p);
            case FOREIGN_KEY_ON -> foreignKeysLike(conn, p);
        };
    }

    static List<Long> counts(Connection conn, List<DdlStatement.Effect> effects) throws SQLException {
        List<Long> out = new ArrayList<>(effects.size());
        for (DdlStatement.Effect e : effects) {
            out.add(count(conn, e.probe()));
        }
        return out;
    }

    private static long indexesOn(Connection conn, CatalogProbe p) throws SQLException {
        Map<String, List<String>> indexes = new LinkedHashMap<>();
        try (PreparedStatement ps = conn.prepareStatement(INDEX_COLUMNS)) {
            ps.setString(1, p.database());
            ps.setString(2, p.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    indexes.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(lower(rs.getString(2)));
                }
            }
        }
        List<String> wanted = p.columns().stream().map(CatalogInspector::lower).toList();
        return indexes.values().stream().filter(wanted::equals).count();
    }

    private static long foreignKeysLike(Connection conn, CatalogProbe p) throws SQLException {
        Map<String, List<String>> fks = new LinkedHashMap<>();
        try (PreparedStatement ps = conn.prepareStatement(FOREIGN_KEYS)) {
            ps.setString(1, p.database());
            ps.setString(2, p.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> fk = fks.computeIfAbsent(rs.getString(1), k -> new ArrayList<>());
                    fk.add(lower(rs.getString(2)) + "->" + lower(rs.getString(3)) + "." + lower(rs.getString(4)) + "."
                            + lower(rs.getString(5)));
                }
            }
        }
        List<String> wanted = new ArrayList<>();
        for (int i = 0; i < p.columns().size() && i < p.refColumns().size(); i++) {
            wanted.add(lower(p.columns().get(i)) + "->" + lower(p.refDatabase()) + "." + lower(p.refTable()) + "."
                    + lower(p.refColumns().get(i)));
        }
        return fks.values().stream().filter(wanted::equals).count();
    }

    private static long single(Connection conn, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
