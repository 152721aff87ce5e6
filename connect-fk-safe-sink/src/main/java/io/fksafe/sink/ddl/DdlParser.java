package io.fksafe.sink.ddl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.fksafe.sink.ddl.DdlStatement.Part;
import io.fksafe.sink.ddl.DdlStatement.PartKind;
import io.fksafe.sink.ddl.SqlLexer.Token;
import io.fksafe.sink.ddl.TokenCursor.QualifiedName;

/**
 * Reads one MySQL/MariaDB DDL statement as Debezium reports it: what kind it is, what it names and what it changes
 * in the catalog. It understands the statements the sink runs (databases, tables, indexes, constraints) and only
 * enough of the rest to say why they are skipped; it never guesses at a table statement it cannot read.
 */
final class DdlParser {

    private static final Set<String> NOT_REPLICATED_OBJECTS = Set.of(
            "VIEW",
            "TRIGGER",
            "PROCEDURE",
            "FUNCTION",
            "EVENT",
            "SEQUENCE",
            "USER",
            "ROLE",
            "SERVER",
            "TABLESPACE",
            "LOGFILE",
            "PACKAGE",
            "RESOURCE",
            "REFERENCE",
            "AGGREGATE");
    private static final Set<String> NO_SCHEMA_CHANGE = Set.of(
            "ANALYZE",
            "OPTIMIZE",
            "REPAIR",
            "CHECK",
            "CHECKSUM",
            "FLUSH",
            "INSTALL",
            "UNINSTALL",
            "RESET",
            "PURGE",
            "KILL",
            "LOCK",
            "UNLOCK",
            "BEGIN",
            "START",
            "COMMIT",
            "ROLLBACK",
            "SAVEPOINT",
            "RELEASE",
            "XA",
            "DO",
            "HANDLER",
            "CACHE",
            "LOAD",
            "SHOW",
            "SELECT",
            "INSERT",
            "UPDATE",
            "DELETE",
            "REPLACE",
            "CALL",
            "PREPARE",
            "EXECUTE",
            "DEALLOCATE",
            "SHUTDOWN",
            "BINLOG",
            "CHANGE",
            "STOP");

    private DdlParser() {}

    /** Parses {@code sql}; unqualified table names belong to {@code contextDatabase} (may be null). */
    static DdlStatement parse(String sql, String contextDatabase) {
        List<Token> tokens = new ArrayList<>(SqlLexer.lex(sql == null ? "" : sql));
        while (!tokens.isEmpty() && tokens.get(tokens.size() - 1).isSymbol(";")) {
            tokens.remove(tokens.size() - 1);
        }
        DdlStatement s = new DdlStatement(sql, tokens, contextDatabase);
        if (tokens.isEmpty()) {
            return skip(s, DdlKind.NO_SCHEMA_CHANGE, "an empty statement");
        }
        if (tokens.stream().anyMatch(t -> t.isSymbol(";"))) {
            return refuse(s, "it holds several statements");
        }
        TokenCursor c = new TokenCursor(tokens);
        Token first = c.next();
        String verb = first.upper();
        switch (verb) {
            case "SET", "USE" -> skip(s, DdlKind.SESSION, "it sets the source connection's session state");
            case "CREATE" -> create(s, c);
            case "ALTER" -> alter(s, c);
            case "DROP" -> drop(s, c);
            case "RENAME" -> rename(s, c);
            case "TRUNCATE" ->
                skip(
                        s,
                        DdlKind.NOT_REPLICATED,
                        "TRUNCATE is a data change: Debezium reports it as a truncate event (see the SMT's truncate.handling)");
            case "GRANT", "REVOKE" -> skip(s, DdlKind.NOT_REPLICATED, "privileges are not replicated");
            default -> {
                if (NO_SCHEMA_CHANGE.contains(verb)) {
                    skip(s, DdlKind.NO_SCHEMA_CHANGE, verb + " changes no schema");
                } else {
                    refuse(s, "'" + first.text() + "' statements are not understood");
                }
            }
        }
        return s;
    }

    private static void create(DdlStatement s, TokenCursor c) {
        s.orReplace = c.acceptAll("OR", "REPLACE");
        boolean temporary = c.accept("TEMPORARY");
        skipRoutineModifiers(c);
        PartKind indexKind = PartKind.INDEX;
        if (c.peek() != null && c.peek().isAny("UNIQUE", "FULLTEXT", "SPATIAL")) {
            Token t = c.next();
            indexKind = t.is("UNIQUE") ? PartKind.UNIQUE : t.is("FULLTEXT") ? PartKind.FULLTEXT : PartKind.SPATIAL;
        }
        Token object = c.next();
        if (object == null) {
            refuse(s, "it is incomplete");
            return;
        }
        s.objectKeyword = object;
        switch (object.upper()) {
            case "DATABASE", "SCHEMA" -> {
                s.kind = DdlKind.CREATE_DATABASE;
                s.ifNotExists = c.acceptIfNotExists();
                databaseSubject(s, c);
                if (s.orReplace) {
                    s.rerunnable = true; // the result is an empty database either way
                } else if (s.subject != null) {
                    s.add(CatalogProbe.database(s.subject.tableName()), true);
                }
            }
            case "TABLE" -> {
                if (temporary) {
                    skip(s, DdlKind.NOT_REPLICATED, "temporary tables live in the source's session");
                    return;
                }
                s.kind = DdlKind.CREATE_TABLE;
                s.ifNotExists = c.acceptIfNotExists();
                CreateTableParser.parse(s, c);
            }
            case "INDEX" -> createIndex(s, c, indexKind);
            default -> {
                if (NOT_REPLICATED_OBJECTS.contains(object.upper())) {
                    skip(s, DdlKind.NOT_REPLICATED, notReplicatedReason(object.upper()));
                } else {
                    refuse(s, "CREATE " + object.text() + " is not understood");
                }
            }
        }
    }

    private static void createIndex(DdlStatement s, TokenCursor c, PartKind indexKind) {
        s.kind = DdlKind.CREATE_INDEX;
        s.ifNotExists = c.acceptIfNotExists();
        Token name = c.identifier();
        while (!c.atEnd() && !c.peek().is("ON")) {
            c.next(); // USING BTREE before ON
        }
        if (name == null || !c.accept("ON") || (s.subject = c.qualifiedName()) == null) {
            refuse(s, "CREATE INDEX without an index name or table is not understood");
            return;
        }
        s.tables.add(s.subject);
        s.parts.add(new Part(indexKind, s.tokens));
        if (s.orReplace) {
            s.rerunnable = true;
        } else {
            s.add(CatalogProbe.index(s.databaseOf(s.subject), s.subject.tableName(), name.name()), true);
        }
    }

    private static void alter(DdlStatement s, TokenCursor c) {
        c.accept("ONLINE");
        c.accept("IGNORE");
        Token object = c.next();
        if (object == null) {
            refuse(s, "it is incomplete");
            return;
        }
        switch (object.upper()) {
            case "DATABASE", "SCHEMA" -> {
                s.kind = DdlKind.ALTER_DATABASE;
                Token next = c.peek();
                if (next != null && next.isIdentifier() && !isDatabaseOption(next)) {
                    databaseSubject(s, c);
                }
                s.rerunnable = true; // options only: the same options again change nothing
            }
            case "TABLE" -> {
                s.kind = DdlKind.ALTER_TABLE;
                s.subject = c.qualifiedName();
                if (s.subject == null) {
                    refuse(s, "ALTER TABLE without a table name is not understood");
                    return;
                }
                s.tables.add(s.subject);
                AlterTableParser.parse(s, c);
            }
            default -> {
                if (NOT_REPLICATED_OBJECTS.contains(object.upper()) || containsWord(s.tokens, "VIEW")) {
                    skip(
                            s,
                            DdlKind.NOT_REPLICATED,
                            notReplicatedReason(containsWord(s.tokens, "VIEW") ? "VIEW" : object.upper()));
                } else {
                    refuse(s, "ALTER " + object.text() + " is not understood");
                }
            }
        }
    }

    private static void drop(DdlStatement s, TokenCursor c) {
        boolean temporary = c.accept("TEMPORARY");
        Token object = c.next();
        if (object == null) {
            refuse(s, "it is incomplete");
            return;
        }
        switch (object.upper()) {
            case "DATABASE", "SCHEMA" -> {
                s.kind = DdlKind.DROP_DATABASE;
                c.acceptIfExists();
                databaseSubject(s, c);
                if (s.subject != null) {
                    s.add(CatalogProbe.database(s.subject.tableName()), false);
                }
            }
            case "TABLE", "TABLES" -> {
                if (temporary) {
                    skip(s, DdlKind.NOT_REPLICATED, "temporary tables live in the source's session");
                    return;
                }
                s.kind = DdlKind.DROP_TABLE;
                c.acceptIfExists();
                for (List<Token> part : c.restSplitAtCommas()) {
                    TokenCursor p = new TokenCursor(part);
                    QualifiedName t = p.qualifiedName();
                    if (t == null) {
                        refuse(s, "DROP TABLE with something other than table names is not understood");
                        return;
                    }
                    s.tables.add(t);
                    s.add(CatalogProbe.table(s.databaseOf(t), t.tableName()), false);
                }
                s.atomic = s.effects.size() == 1;
            }
            case "INDEX" -> {
                s.kind = DdlKind.DROP_INDEX;
                c.acceptIfExists();
                Token name = c.identifier();
                if (name == null || !c.accept("ON") || (s.subject = c.qualifiedName()) == null) {
                    refuse(s, "DROP INDEX without an index name or table is not understood");
                    return;
                }
                s.tables.add(s.subject);
                s.add(CatalogProbe.index(s.databaseOf(s.subject), s.subject.tableName(), name.name()), false);
            }
            default -> {
                if (NOT_REPLICATED_OBJECTS.contains(object.upper())) {
                    skip(s, DdlKind.NOT_REPLICATED, notReplicatedReason(object.upper()));
                } else {
                    refuse(s, "DROP " + object.text() + " is not understood");
                }
            }
        }
    }

    /** RENAME TABLE a TO b [, c TO d]: atomic on MySQL 8, MariaDB 10.6+ and TiDB. */
    private static void rename(DdlStatement s, TokenCursor c) {
        Token object = c.next();
        if (object == null || !object.isAny("TABLE", "TABLES")) {
            if (object != null && object.is("USER")) {
                skip(s, DdlKind.NOT_REPLICATED, notReplicatedReason("USER"));
            } else {
                refuse(s, "this RENAME is not understood");
            }
            return;
        }
        s.kind = DdlKind.RENAME_TABLE;
        c.acceptIfExists();
        Set<String> from = new HashSet<>();
        Set<String> to = new HashSet<>();
        for (List<Token> part : c.restSplitAtCommas()) {
            TokenCursor p = new TokenCursor(part);
            QualifiedName a = p.qualifiedName();
            QualifiedName b = p.accept("TO") ? p.qualifiedName() : null;
            if (a == null || b == null) {
                refuse(s, "RENAME TABLE with something other than 'a TO b' pairs is not understood");
                return;
            }
            s.tables.add(a);
            s.tables.add(b);
            s.add(CatalogProbe.table(s.databaseOf(a), a.tableName()), false);
            s.add(CatalogProbe.table(s.databaseOf(b), b.tableName()), true);
            from.add(key(s.databaseOf(a), a.tableName()));
            to.add(key(s.databaseOf(b), b.tableName()));
        }
        from.retainAll(to);
        if (!from.isEmpty()) {
            s.uncheckable = "it renames " + from
                    + " away and back (a swap or chain): the catalog looks the same before and after";
        }
    }

    private static void databaseSubject(DdlStatement s, TokenCursor c) {
        Token name = c.identifier();
        if (name == null) {
            refuse(s, "a database statement without a database name is not understood");
            return;
        }
        s.subject = new QualifiedName(null, name);
    }

    /** DEFINER = user, ALGORITHM = x, SQL SECURITY x before VIEW/TRIGGER/PROCEDURE/FUNCTION/EVENT. */
    private static void skipRoutineModifiers(TokenCursor c) {
        while (!c.atEnd()) {
            if (c.accept("DEFINER") || c.accept("ALGORITHM")) {
                c.acceptSymbol("=");
                while (!c.atEnd()
                        && !c.peek()
                                .isAny(
                                        "VIEW",
                                        "TRIGGER",
                                        "PROCEDURE",
                                        "FUNCTION",
                                        "EVENT",
                                        "SQL",
                                        "ALGORITHM",
                                        "AGGREGATE")) {
                    c.next();
                }
            } else if (c.acceptAll("SQL", "SECURITY")) {
                c.next();
            } else {
                return;
            }
        }
    }

    private static boolean isDatabaseOption(Token t) {
        return t.type() == SqlLexer.Type.WORD
                && t.isAny("DEFAULT", "CHARACTER", "CHARSET", "COLLATE", "COMMENT", "ENCRYPTION", "READ", "UPGRADE");
    }

    private static boolean containsWord(List<Token> tokens, String word) {
        return tokens.stream().anyMatch(t -> t.is(word));
    }

    private static String notReplicatedReason(String object) {
        return switch (object) {
            case "TRIGGER" ->
                "triggers are not replicated: the rows a source trigger writes arrive as row changes, so a "
                        + "target trigger would write them twice";
            case "EVENT" -> "scheduled events are not replicated: their writes arrive as row changes";
            case "VIEW" ->
                "views are not replicated: they hold no rows, and their definer and privileges are the "
                        + "target's business (create them by hand)";
            case "PROCEDURE", "FUNCTION", "AGGREGATE", "PACKAGE" ->
                "stored routines are not replicated (create them by hand)";
            case "USER", "ROLE" -> "accounts and privileges are not replicated";
            case "SEQUENCE" -> "sequences are not replicated (values used on the source arrive in the rows)";
            default -> object.toLowerCase(Locale.ROOT) + " statements are not replicated";
        };
    }

    static String key(String db, String table) {
        return (db == null ? "" : db.toLowerCase(Locale.ROOT)) + "." + table.toLowerCase(Locale.ROOT);
    }

    static DdlStatement skip(DdlStatement s, DdlKind kind, String reason) {
        s.kind = kind;
        s.reason = reason;
        return s;
    }

    static DdlStatement refuse(DdlStatement s, String reason) {
        s.kind = DdlKind.UNSUPPORTED;
        s.reason = reason;
        return s;
    }
}
