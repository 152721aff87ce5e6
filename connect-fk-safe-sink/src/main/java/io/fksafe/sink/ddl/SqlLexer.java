package io.fksafe.sink.ddl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits MySQL/MariaDB DDL into tokens that remember where they are in the text, so a statement can be classified and
 * edited in place without re-formatting it. Comments are dropped; executable comments ({@code /*!50100 ... * /},
 * {@code /*M!...}) are read as code, as the server would.
 */
final class SqlLexer {

    enum Type {
        WORD,
        QUOTED,
        STRING,
        NUMBER,
        SYMBOL
    }

    /** One token; {@code start}/{@code end} index the original text. */
    record Token(Type type, String text, int start, int end) {

        boolean is(String keyword) {
            return type == Type.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean isAny(String... keywords) {
            for (String k : keywords) {
                if (is(k)) {
                    return true;
                }
            }
            return false;
        }

        boolean isSymbol(String s) {
            return type == Type.SYMBOL && text.equals(s);
        }

        boolean isIdentifier() {
            return type == Type.WORD || type == Type.QUOTED;
        }

        /** The name an identifier token stands for: backticks removed, doubled backticks undone. */
        String name() {
            if (type == Type.QUOTED) {
                return text.substring(1, text.length() - 1).replace("``", "`");
            }
            return text;
        }

        String upper() {
            return text.toUpperCase(Locale.ROOT);
        }
    }

    private SqlLexer() {}

    static List<Token> lex(String sql) {
        List<Token> out = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        int openExecutable = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#'
                    || (c == '-'
                            && i + 1 < n
                            && sql.charAt(i + 1) == '-'
                            && (i + 2 == n || Character.isWhitespace(sql.charAt(i + 2))))) {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int body = i + 2;
                if (body < n && sql.charAt(body) == '!'
                        || body + 1 < n && sql.charAt(body) == 'M' && sql.charAt(body + 1) == '!') {
                    i = body + (sql.charAt(body) == '!' ? 1 : 2);
                    while (i < n && Character.isDigit(sql.charAt(i))) {
                        i++; // the version: the target is new enough for whatever a replicated statement carries
                    }
                    openExecutable++;
                } else {
                    int close = sql.indexOf("*/", body);
                    i = close < 0 ? n : close + 2;
                }
            } else if (c == '*' && openExecutable > 0 && i + 1 < n && sql.charAt(i + 1) == '/') {
                openExecutable--;
                i += 2;
            } else if (c == '`') {
                int j = i + 1;
                while (j < n) {
                    if (sql.charAt(j) == '`') {
                        if (j + 1 < n && sql.charAt(j + 1) == '`') {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                int end = Math.min(j + 1, n);
                out.add(new Token(Type.QUOTED, sql.substring(i, end), i, end));
                i = end;
            } else if (c == '\'' || c == '"') {
                int j = i + 1;
                while (j < n) {
                    char d = sql.charAt(j);
                    if (d == '\\') {
                        j += 2;
                        continue;
                    }
                    if (d == c) {
                        if (j + 1 < n && sql.charAt(j + 1) == c) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                int end = Math.min(j + 1, n);
                out.add(new Token(Type.STRING, sql.substring(i, end), i, end));
                i = end;
            } else if (isWordChar(c)) {
                int j = i;
                while (j < n && isWordChar(sql.charAt(j))) {
                    j++;
                }
                String word = sql.substring(i, j);
                if (word.chars().allMatch(Character::isDigit)) {
                    if (j + 1 < n && sql.charAt(j) == '.' && Character.isDigit(sql.charAt(j + 1))) {
                        j++;
                        while (j < n && Character.isDigit(sql.charAt(j))) {
                            j++;
                        }
                    }
                    out.add(new Token(Type.NUMBER, sql.substring(i, j), i, j));
                } else {
                    out.add(new Token(Type.WORD, word, i, j));
                }
                i = j;
            } else {
                out.add(new Token(Type.SYMBOL, String.valueOf(c), i, i + 1));
                i++;
            }
        }
        return out;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7f;
    }
}
