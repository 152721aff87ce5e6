package io.fksafe.sink.ddl;

import java.util.List;
import java.util.Set;

import io.fksafe.sink.ddl.DdlStatement.ColumnChange;
import io.fksafe.sink.ddl.DdlStatement.ColumnChangeKind;
import io.fksafe.sink.ddl.DdlStatement.Part;
import io.fksafe.sink.ddl.DdlStatement.PartKind;
import io.fksafe.sink.ddl.SqlLexer.Token;
import io.fksafe.sink.ddl.TokenCursor.QualifiedName;

/**
 * The specifications of one ALTER TABLE: what each adds, drops or renames (a catalog effect), which ones only
 * restate something and can run again (MODIFY, SET DEFAULT, table options), and which ones the catalog cannot
 * confirm (partition and tablespace operations). One ALTER TABLE is atomic, so any one effect tells whether it ran.
 */
final class AlterTableParser {

    private static final Set<String> TABLE_OPTIONS = Set.of(
            "ENGINE",
            "AUTO_INCREMENT",
            "AVG_ROW_LENGTH",
            "DEFAULT",
            "CHARACTER",
            "CHARSET",
            "COLLATE",
            "CHECKSUM",
            "TABLE_CHECKSUM",
            "COMMENT",
            "COMPRESSION",
            "CONNECTION",
            "DATA",
            "INDEX",
            "DELAY_KEY_WRITE",
            "ENCRYPTION",
            "ENCRYPTED",
            "ENCRYPTION_KEY_ID",
            "INSERT_METHOD",
            "KEY_BLOCK_SIZE",
            "MAX_ROWS",
            "MIN_ROWS",
            "PACK_KEYS",
            "PAGE_CHECKSUM",
            "PAGE_COMPRESSED",
            "PAGE_COMPRESSION_LEVEL",
            "PASSWORD",
            "ROW_FORMAT",
            "SECONDARY_ENGINE",
            "STATS_AUTO_RECALC",
            "STATS_PERSISTENT",
            "STATS_SAMPLE_PAGES",
            "TABLESPACE",
            "TRANSACTIONAL",
            "UNION",
            "IETF_QUOTES",
            "AUTOEXTEND_SIZE",
            "SEQUENCE");

    private AlterTableParser() {}

    static void parse(DdlStatement s, TokenCursor c) {
        List<List<Token>> specs = c.restSplitAtCommas();
        String db = s.databaseOf(s.subject);
        String table = finalName(specs, s.subject.tableName());
        String uncheckable = null;
        for (List<Token> spec : specs) {
            String why = spec(s, spec, db, table);
            if (why != null && uncheckable == null) {
                uncheckable = why;
            }
        }
        if (!table.equals(s.subject.tableName())) {
            // Renamed too: the rename alone tells whether it ran (the other effects are not countable before it).
            s.effects.removeIf(e -> e.probe().kind() != CatalogProbe.Kind.TABLE);
        }
        if (s.effects.isEmpty()) {
            if (uncheckable != null) {
                s.uncheckable = uncheckable;
            } else {
                s.rerunnable = true;
            }
        }
    }

    /** Adds the spec's part and effects; returns why the catalog cannot confirm it, or null. */
    private static String spec(DdlStatement s, List<Token> spec, String db, String table) {
        TokenCursor c = new TokenCursor(spec);
        Token verb = c.next();
        if (verb == null) {
            return null;
        }
        if (spec.stream().anyMatch(t -> t.isAny("PARTITION", "PARTITIONING"))) {
            s.parts.add(new Part(PartKind.PARTITION, spec));
            s.partitioned = true;
            return "it changes partitions, which the catalog checks do not cover";
        }
        switch (verb.upper()) {
            case "ADD" -> add(s, c, db, table);
            case "DROP" -> {
                s.parts.add(new Part(PartKind.OTHER, spec));
                drop(s, c, db, table);
            }
            case "CHANGE" -> {
                c.accept("COLUMN");
                c.acceptIfExists();
                Token from = c.identifier();
                Token to = c.peek();
                s.parts.add(new Part(PartKind.COLUMN, restOf(c))); // the new name, then its definition
                if (from != null
                        && to != null
                        && to.isIdentifier()
                        && !from.name().equalsIgnoreCase(to.name())) {
                    s.add(CatalogProbe.column(db, table, from.name()), false);
                    s.add(CatalogProbe.column(db, table, to.name()), true);
                    s.columnChanges.add(new ColumnChange(ColumnChangeKind.RENAME, from.name(), to.name()));
                } else if (from != null) {
                    s.columnChanges.add(new ColumnChange(ColumnChangeKind.RETYPE, from.name(), from.name()));
                }
            }
            case "MODIFY" -> {
                c.accept("COLUMN");
                c.acceptIfExists();
                Token column = c.peek();
                s.parts.add(new Part(PartKind.COLUMN, restOf(c)));
                if (column != null && column.isIdentifier()) {
                    s.columnChanges.add(new ColumnChange(ColumnChangeKind.RETYPE, column.name(), column.name()));
                }
            }
            case "RENAME" -> {
                s.parts.add(new Part(PartKind.OTHER, spec));
                rename(s, c, db, table);
            }
            case "DISCARD", "IMPORT" -> {
                s.parts.add(new Part(PartKind.OTHER, spec));
                return "tablespace operations are not visible in the catalog";
            }
            default ->
                s.parts.add(new Part(TABLE_OPTIONS.contains(verb.upper()) ? PartKind.OPTIONS : PartKind.OTHER, spec));
        }
        return null;
    }

    private static void add(DdlStatement s, TokenCursor c, String db, String table) {
        boolean column = c.accept("COLUMN");
        c.acceptIfNotExists();
        Token next = c.peek();
        if (next == null) {
            return;
        }
        if (next.isSymbol("(")) {
            for (List<Token> element : TokenCursor.splitAtCommas(c.group())) {
                addElement(s, TableElement.read(element), db, table);
            }
            return;
        }
        List<Token> rest = restOf(c);
        TableElement e = column
                ? new TableElement(PartKind.COLUMN, rest, next.name(), null, null, null, null)
                : TableElement.read(rest);
        addElement(s, e, db, table);
    }

    private static void addElement(DdlStatement s, TableElement e, String db, String table) {
        s.parts.add(new Part(e.kind(), e.tokens()));
        if (e.kind() == PartKind.COLUMN && e.name() != null) {
            s.columnChanges.add(new ColumnChange(ColumnChangeKind.ADD, null, e.name()));
        }
        s.keyChanged |= e.kind() == PartKind.PRIMARY_KEY;
        String refDb = null;
        if (e.references() != null) {
            s.tables.add(e.references());
            refDb = s.databaseOf(e.references());
        }
        CatalogProbe probe = e.probe(db, table, refDb);
        if (probe != null) {
            s.add(probe, true);
        }
    }

    private static void drop(DdlStatement s, TokenCursor c, String db, String table) {
        CatalogProbe probe;
        if (c.acceptAll("PRIMARY", "KEY")) {
            probe = CatalogProbe.index(db, table, "PRIMARY");
            s.keyChanged = true;
        } else if (c.accept("INDEX") || c.accept("KEY")) {
            c.acceptIfExists();
            probe = named(c, n -> CatalogProbe.index(db, table, n));
        } else if (c.acceptAll("FOREIGN", "KEY") || c.accept("CONSTRAINT") || c.accept("CHECK")) {
            c.acceptIfExists();
            probe = named(c, n -> CatalogProbe.constraint(db, table, n));
        } else {
            c.accept("COLUMN");
            c.acceptIfExists();
            probe = named(c, n -> CatalogProbe.column(db, table, n));
            if (probe != null) {
                s.columnChanges.add(new ColumnChange(ColumnChangeKind.DROP, probe.name(), null));
            }
        }
        if (probe != null) {
            s.add(probe, false);
        }
    }

    private static void rename(DdlStatement s, TokenCursor c, String db, String table) {
        if (c.accept("COLUMN")) {
            Token from = c.identifier();
            Token to = c.accept("TO") ? c.identifier() : null;
            if (from != null && to != null) {
                s.add(CatalogProbe.column(db, table, from.name()), false);
                s.add(CatalogProbe.column(db, table, to.name()), true);
                s.columnChanges.add(new ColumnChange(ColumnChangeKind.RENAME, from.name(), to.name()));
            }
        } else if (c.accept("INDEX") || c.accept("KEY")) {
            Token from = c.identifier();
            Token to = c.accept("TO") ? c.identifier() : null;
            if (from != null && to != null) {
                s.add(CatalogProbe.index(db, table, from.name()), false);
                s.add(CatalogProbe.index(db, table, to.name()), true);
            }
        } else {
            if (!c.accept("TO")) {
                c.accept("AS");
            }
            QualifiedName to = c.qualifiedName();
            if (to != null) {
                s.renamedTo = to;
                s.tables.add(to);
                s.add(CatalogProbe.table(s.databaseOf(s.subject), s.subject.tableName()), false);
                s.add(CatalogProbe.table(s.databaseOf(to), to.tableName()), true);
            }
        }
    }

    /** The table's name once the statement has run: other effects are looked for under it. */
    private static String finalName(List<List<Token>> specs, String name) {
        for (List<Token> spec : specs) {
            TokenCursor c = new TokenCursor(spec);
            if (c.accept("RENAME") && !c.accept("COLUMN") && !c.accept("INDEX") && !c.accept("KEY")) {
                if (!c.accept("TO")) {
                    c.accept("AS");
                }
                QualifiedName to = c.qualifiedName();
                if (to != null) {
                    name = to.tableName();
                }
            }
        }
        return name;
    }

    private static CatalogProbe named(TokenCursor c, java.util.function.Function<String, CatalogProbe> probe) {
        Token name = c.identifier();
        return name == null ? null : probe.apply(name.name());
    }

    private static List<Token> restOf(TokenCursor c) {
        List<Token> rest = new java.util.ArrayList<>();
        while (!c.atEnd()) {
            rest.add(c.next());
        }
        return rest;
    }
}
