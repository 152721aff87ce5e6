package io.fksafe.sink.ddl;

import java.util.List;

import io.fksafe.sink.ddl.DdlStatement.PartKind;
import io.fksafe.sink.ddl.SqlLexer.Token;
import io.fksafe.sink.ddl.TokenCursor.QualifiedName;

/**
 * One element of a table definition — a column, a key, a foreign key, a check — as in a CREATE TABLE body or after
 * ALTER TABLE ... ADD: its kind, names and columns, and the table its REFERENCES clause names.
 */
record TableElement(
        PartKind kind,
        List<Token> tokens,
        String name,
        String constraintName,
        List<String> columns,
        QualifiedName references,
        List<String> refColumns) {

    static TableElement read(List<Token> tokens) {
        TokenCursor c = new TokenCursor(tokens);
        String constraint = null;
        if (c.accept("CONSTRAINT")) {
            Token next = c.peek();
            if (next != null && next.isIdentifier() && !next.isAny("PRIMARY", "UNIQUE", "FOREIGN", "CHECK")) {
                constraint = c.next().name();
            }
        }
        PartKind kind;
        if (c.acceptAll("PRIMARY", "KEY")) {
            kind = PartKind.PRIMARY_KEY;
        } else if (c.accept("UNIQUE")) {
            kind = PartKind.UNIQUE;
            if (!c.accept("INDEX")) {
                c.accept("KEY");
            }
        } else if (c.peek() != null && c.peek().isAny("FULLTEXT", "SPATIAL")) {
            kind = c.next().is("FULLTEXT") ? PartKind.FULLTEXT : PartKind.SPATIAL;
            if (!c.accept("INDEX")) {
                c.accept("KEY");
            }
        } else if (c.accept("INDEX") || c.accept("KEY")) {
            kind = PartKind.INDEX;
        } else if (c.acceptAll("FOREIGN", "KEY")) {
            kind = PartKind.FOREIGN_KEY;
        } else if (c.accept("CHECK")) {
            return new TableElement(PartKind.CHECK, tokens, null, constraint, null, null, null);
        } else if (constraint != null || tokens.isEmpty() || tokens.get(0).isAny("PERIOD")) {
            return new TableElement(PartKind.OTHER, tokens, null, constraint, null, null, null);
        } else {
            Token column = c.identifier();
            return new TableElement(
                    PartKind.COLUMN, tokens, column == null ? null : column.name(), null, null, references(c), null);
        }
        c.acceptIfNotExists();
        String name = null;
        Token next = c.peek();
        if (next != null && next.isIdentifier() && !next.is("USING")) {
            name = c.next().name();
        }
        while (!c.atEnd() && !c.peek().isSymbol("(")) {
            c.next(); // USING BTREE
        }
        List<String> columns = TokenCursor.columnNames(c.group());
        QualifiedName ref = null;
        List<String> refColumns = null;
        if (kind == PartKind.FOREIGN_KEY && c.accept("REFERENCES")) {
            ref = c.qualifiedName();
            refColumns = TokenCursor.columnNames(c.group());
        }
        return new TableElement(kind, tokens, name, constraint, columns, ref, refColumns);
    }

    /** A column definition's inline {@code REFERENCES t (c)}, if any. */
    private static QualifiedName references(TokenCursor c) {
        while (!c.atEnd()) {
            if (c.accept("REFERENCES")) {
                return c.qualifiedName();
            }
            c.next();
        }
        return null;
    }

    /**
     * What adding this element to {@code db.table} changes in the catalog; null when nothing countable (a check
     * without a name still counts as one more check).
     */
    CatalogProbe probe(String db, String table, String refDb) {
        return switch (kind) {
            case COLUMN -> name == null ? null : CatalogProbe.column(db, table, name);
            case PRIMARY_KEY -> CatalogProbe.index(db, table, "PRIMARY");
            case UNIQUE, INDEX, FULLTEXT, SPATIAL -> {
                String index = name != null ? name : constraintName;
                yield index != null
                        ? CatalogProbe.index(db, table, index)
                        : columns != null ? CatalogProbe.indexOn(db, table, columns) : null;
            }
            case FOREIGN_KEY ->
                constraintName != null
                        ? CatalogProbe.constraint(db, table, constraintName)
                        : columns != null && references != null && refColumns != null
                                ? CatalogProbe.foreignKeyOn(
                                        db, table, columns, refDb, references.tableName(), refColumns)
                                : null;
            case CHECK ->
                constraintName != null
                        ? CatalogProbe.constraint(db, table, constraintName)
                        : CatalogProbe.checks(db, table);
            default -> null;
        };
    }
}
