package io.fksafe.sink.ddl;

import java.util.List;

/**
 * One question about the target catalog, answered with a count: how many databases, tables, columns, indexes or
 * constraints match. A statement's effects are probes whose count it raises or lowers; comparing the counts with the
 * ones recorded before it ran tells whether it ran.
 */
record CatalogProbe(
        Kind kind,
        String database,
        String table,
        String name,
        List<String> columns,
        String refDatabase,
        String refTable,
        List<String> refColumns) {

    enum Kind {
        DATABASE,
        TABLE,
        COLUMN,
        INDEX,
        INDEX_ON,
        CONSTRAINT,
        FOREIGN_KEY_ON,
        CHECKS
    }

    static CatalogProbe database(String db) {
        return new CatalogProbe(Kind.DATABASE, db, null, null, null, null, null, null);
    }

    static CatalogProbe table(String db, String table) {
        return new CatalogProbe(Kind.TABLE, db, table, null, null, null, null, null);
    }

    static CatalogProbe column(String db, String table, String column) {
        return new CatalogProbe(Kind.COLUMN, db, table, column, null, null, null, null);
    }

    /** An index by name ({@code PRIMARY} for the primary key). */
    static CatalogProbe index(String db, String table, String name) {
        return new CatalogProbe(Kind.INDEX, db, table, name, null, null, null, null);
    }

    /** Indexes on exactly these columns, in order: for an index added without a name. */
    static CatalogProbe indexOn(String db, String table, List<String> columns) {
        return new CatalogProbe(Kind.INDEX_ON, db, table, null, List.copyOf(columns), null, null, null);
    }

    /** A named constraint of any type: foreign key, unique, check. */
    static CatalogProbe constraint(String db, String table, String name) {
        return new CatalogProbe(Kind.CONSTRAINT, db, table, name, null, null, null, null);
    }

    /** Foreign keys with exactly this definition: for one added without a name. */
    static CatalogProbe foreignKeyOn(
            String db, String table, List<String> columns, String refDb, String refTable, List<String> refColumns) {
        return new CatalogProbe(
                Kind.FOREIGN_KEY_ON, db, table, null, List.copyOf(columns), refDb, refTable, List.copyOf(refColumns));
    }

    /** The table's check constraints: for one added without a name. */
    static CatalogProbe checks(String db, String table) {
        return new CatalogProbe(Kind.CHECKS, db, table, null, null, null, null, null);
    }

    /** For messages: {@code column shop.parent.note}. */
    String describe() {
        String t = database + "." + table;
        return switch (kind) {
            case DATABASE -> "database " + database;
            case TABLE -> "table " + t;
            case COLUMN -> "column " + t + "." + name;
            case INDEX -> "index " + name + " on " + t;
            case INDEX_ON -> "index on " + t + " " + columns;
            case CONSTRAINT -> "constraint " + name + " on " + t;
            case FOREIGN_KEY_ON ->
                "foreign key " + t + " " + columns + " -> " + refDatabase + "." + refTable + " " + refColumns;
            case CHECKS -> "check constraints on " + t;
        };
    }
}
