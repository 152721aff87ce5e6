package io.fksafe.sink.ddl;

import java.util.ArrayList;
import java.util.List;

import io.fksafe.sink.testing.TestDatabase;

/**
 * A database's schema as information_schema shows it — tables, columns, indexes, foreign keys with their rules, check
 * constraints — with the database's own name replaced by {@code <db>}, so a source and a target compare equal.
 */
final class CatalogView {

    private CatalogView() {}

    static List<List<String>> of(TestDatabase server, String db) {
        String d = "'" + db + "'";
        List<List<String>> out = new ArrayList<>();
        tagged(
                out,
                "table",
                server.query("SELECT TABLE_NAME, TABLE_TYPE, TABLE_COLLATION FROM information_schema.TABLES "
                        + "WHERE TABLE_SCHEMA = " + d + " ORDER BY TABLE_NAME"));
        tagged(
                out,
                "column",
                server.query("SELECT TABLE_NAME, ORDINAL_POSITION, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, "
                        + "COLUMN_DEFAULT, EXTRA, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                        + d
                        + " ORDER BY TABLE_NAME, ORDINAL_POSITION"));
        tagged(
                out,
                "index",
                server.query("SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, INDEX_TYPE "
                        + "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = " + d
                        + " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"));
        tagged(
                out,
                "fk",
                server.query("SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION, k.COLUMN_NAME, "
                        + "IF(k.REFERENCED_TABLE_SCHEMA = k.TABLE_SCHEMA, '<db>', k.REFERENCED_TABLE_SCHEMA), k.REFERENCED_TABLE_NAME, "
                        + "k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE FROM information_schema.KEY_COLUMN_USAGE k "
                        + "JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA "
                        + "AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME "
                        + "WHERE k.TABLE_SCHEMA = " + d
                        + " ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION"));
        tagged(
                out,
                "check",
                server.query(
                        "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                                + "WHERE CONSTRAINT_SCHEMA = " + d + " ORDER BY TABLE_NAME, CONSTRAINT_NAME"));
        return out;
    }

    /** The foreign keys only, for focused assertions: table, name, column, referenced table and column, rules. */
    static List<List<String>> foreignKeys(TestDatabase server, String db) {
        return of(server, db).stream().filter(r -> r.get(0).equals("fk")).toList();
    }

    private static void tagged(List<List<String>> out, String tag, List<List<String>> rows) {
        for (List<String> r : rows) {
            List<String> row = new ArrayList<>();
            row.add(tag);
            row.addAll(r);
            out.add(row);
        }
    }
}
