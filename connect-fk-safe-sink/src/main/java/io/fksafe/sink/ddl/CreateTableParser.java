package io.fksafe.sink.ddl;

import java.util.ArrayList;
import java.util.List;

import io.fksafe.sink.ddl.DdlStatement.Part;
import io.fksafe.sink.ddl.DdlStatement.PartKind;
import io.fksafe.sink.ddl.SqlLexer.Token;
import io.fksafe.sink.ddl.TokenCursor.QualifiedName;

/** CREATE TABLE [IF NOT EXISTS] t (body) [options] [PARTITION BY ...], or ... LIKE u. Refuses ... SELECT. */
final class CreateTableParser {

    private CreateTableParser() {}

    static void parse(DdlStatement s, TokenCursor c) {
        s.subject = c.qualifiedName();
        if (s.subject == null) {
            DdlParser.refuse(s, "CREATE TABLE without a table name is not understood");
            return;
        }
        s.tables.add(s.subject);
        boolean parenthesisedLike = c.peek() != null
                && c.peek().isSymbol("(")
                && c.peek(1) != null
                && c.peek(1).is("LIKE");
        if (parenthesisedLike || c.peek() != null && c.peek().is("LIKE")) {
            TokenCursor like = parenthesisedLike ? new TokenCursor(c.group()) : c;
            like.accept("LIKE");
            QualifiedName source = like.qualifiedName();
            if (source == null) {
                DdlParser.refuse(s, "CREATE TABLE ... LIKE without a table name is not understood");
                return;
            }
            s.tables.add(source);
        } else if (c.peek() != null && c.peek().isSymbol("(")) {
            for (List<Token> element : TokenCursor.splitAtCommas(c.group())) {
                TableElement e = TableElement.read(element);
                s.parts.add(new Part(e.kind(), element));
                if (e.references() != null) {
                    s.tables.add(e.references());
                }
            }
            readOptions(s, c);
        } else {
            readOptions(s, c);
        }
        if (s.kind == DdlKind.UNSUPPORTED) {
            return;
        }
        if (s.orReplace) {
            s.rerunnable = true; // the result is the same empty table however often it runs
        } else {
            s.add(CatalogProbe.table(s.databaseOf(s.subject), s.subject.tableName()), true);
        }
    }

    /** Table options up to PARTITION; a SELECT anywhere after the body makes it CREATE ... SELECT. */
    private static void readOptions(DdlStatement s, TokenCursor c) {
        List<Token> options = new ArrayList<>();
        int depth = 0;
        while (!c.atEnd()) {
            Token t = c.next();
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            }
            if (t.is("SELECT") || depth == 0 && (t.is("AS") || t.is("IGNORE") || t.is("REPLACE"))) {
                DdlParser.refuse(
                        s,
                        "CREATE TABLE ... SELECT copies rows that also arrive as row changes; create the table "
                                + "without SELECT on the target");
                return;
            }
            if (depth == 0 && t.is("PARTITION")) {
                s.partitioned = true;
                s.parts.add(new Part(PartKind.PARTITION, List.of(t)));
                break;
            }
            options.add(t);
        }
        while (!c.atEnd()) {
            if (c.next().is("SELECT")) {
                DdlParser.refuse(
                        s,
                        "CREATE TABLE ... SELECT copies rows that also arrive as row changes; create the table "
                                + "without SELECT on the target");
                return;
            }
        }
        s.tableOptions = options;
    }
}
