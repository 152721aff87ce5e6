package io.fksafe.sink.ddl;

import java.util.ArrayList;
import java.util.List;

import io.fksafe.sink.ddl.SqlLexer.Token;

/** Walks a token list for the parsers: keyword matching, qualified names, balanced parentheses, top-level commas. */
final class TokenCursor {

    private final List<Token> tokens;
    private int pos;

    TokenCursor(List<Token> tokens) {
        this.tokens = tokens;
    }

    boolean atEnd() {
        return pos >= tokens.size();
    }

    Token peek() {
        return peek(0);
    }

    Token peek(int ahead) {
        int i = pos + ahead;
        return i < tokens.size() ? tokens.get(i) : null;
    }

    Token next() {
        return atEnd() ? null : tokens.get(pos++);
    }

    int position() {
        return pos;
    }

    /** Consumes the keyword if it is next. */
    boolean accept(String keyword) {
        Token t = peek();
        if (t != null && t.is(keyword)) {
            pos++;
            return true;
        }
        return false;
    }

    /** Consumes the keywords if they are all next, in order; otherwise consumes nothing. */
    boolean acceptAll(String... keywords) {
        for (int i = 0; i < keywords.length; i++) {
            Token t = peek(i);
            if (t == null || !t.is(keywords[i])) {
                return false;
            }
        }
        pos += keywords.length;
        return true;
    }

    boolean acceptSymbol(String symbol) {
        Token t = peek();
        if (t != null && t.isSymbol(symbol)) {
            pos++;
            return true;
        }
        return false;
    }

    /** {@code IF NOT EXISTS} or {@code IF EXISTS}, if next. */
    boolean acceptIfNotExists() {
        return acceptAll("IF", "NOT", "EXISTS");
    }

    boolean acceptIfExists() {
        return acceptAll("IF", "EXISTS");
    }

    /** An identifier, or null (without consuming) if the next token is not one. */
    Token identifier() {
        Token t = peek();
        if (t != null && t.isIdentifier()) {
            pos++;
            return t;
        }
        return null;
    }

    /** {@code name} or {@code db.name}; null if no identifier is next. */
    QualifiedName qualifiedName() {
        Token first = identifier();
        if (first == null) {
            return null;
        }
        Token dot = peek();
        Token second = peek(1);
        if (dot != null && dot.isSymbol(".") && second != null && second.isIdentifier()) {
            pos += 2;
            return new QualifiedName(first, second);
        }
        return new QualifiedName(null, first);
    }

    /** Skips a parenthesised group starting at the next token; returns the tokens inside it. */
    List<Token> group() {
        List<Token> inside = new ArrayList<>();
        if (!acceptSymbol("(")) {
            return inside;
        }
        int depth = 1;
        while (!atEnd()) {
            Token t = next();
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")") && --depth == 0) {
                return inside;
            }
            inside.add(t);
        }
        return inside;
    }

    /** The rest of the tokens split at commas outside parentheses. */
    List<List<Token>> restSplitAtCommas() {
        List<Token> rest = new ArrayList<>(tokens.subList(Math.min(pos, tokens.size()), tokens.size()));
        pos = tokens.size();
        return splitAtCommas(rest);
    }

    static List<List<Token>> splitAtCommas(List<Token> tokens) {
        List<List<Token>> parts = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        for (Token t : tokens) {
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && t.isSymbol(",")) {
                parts.add(current);
                current = new ArrayList<>();
                continue;
            }
            current.add(t);
        }
        if (!current.isEmpty()) {
            parts.add(current);
        }
        return parts;
    }

    /** The column names of an index or FK column list such as {@code (a(10) DESC, `b`)}; null for an expression. */
    static List<String> columnNames(List<Token> inside) {
        List<String> names = new ArrayList<>();
        for (List<Token> part : splitAtCommas(inside)) {
            if (part.isEmpty() || !part.get(0).isIdentifier()) {
                return null;
            }
            names.add(part.get(0).name());
        }
        return names;
    }

    /** A table or database name as written, with the tokens that spell it (for rewriting). */
    record QualifiedName(Token database, Token name) {

        String databaseName() {
            return database == null ? null : database.name();
        }

        String tableName() {
            return name.name();
        }
    }
}
