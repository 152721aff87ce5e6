package io.fksafe.sink.ddl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.fksafe.sink.ddl.SqlLexer.Token;

/**
 * Edits to a statement's text by token position — replace a name, insert words, remove an option — applied at once,
 * so everything not edited stays exactly as Debezium reported it.
 */
final class TextEdits {

    private record Edit(int start, int end, String replacement) {}

    private final String text;
    private final List<Edit> edits = new ArrayList<>();

    TextEdits(String text) {
        this.text = text;
    }

    TextEdits replace(Token token, String replacement) {
        edits.add(new Edit(token.start(), token.end(), replacement));
        return this;
    }

    TextEdits insertAfter(Token token, String insertion) {
        edits.add(new Edit(token.end(), token.end(), insertion));
        return this;
    }

    /**
     * Removes the tokens {@code from}..{@code to} (inclusive) with the white space after them, or before them when
     * nothing follows on the line, so no double or trailing blanks remain.
     */
    TextEdits remove(Token from, Token to) {
        int start = from.start();
        int end = to.end();
        int after = end;
        while (after < text.length() && text.charAt(after) == ' ') {
            after++;
        }
        if (after < text.length() && after > end && !isCloser(text.charAt(after))) {
            end = after;
        } else {
            while (start > 0 && text.charAt(start - 1) == ' ') {
                start--;
            }
        }
        edits.add(new Edit(start, end, ""));
        return this;
    }

    boolean isEmpty() {
        return edits.isEmpty();
    }

    String apply() {
        List<Edit> sorted = new ArrayList<>(edits);
        sorted.sort(Comparator.comparingInt(Edit::start).thenComparingInt(Edit::end));
        StringBuilder out = new StringBuilder(text.length() + 32);
        int at = 0;
        for (Edit e : sorted) {
            if (e.end() < at || e.end() == at && e.start() < at) {
                continue; // inside an earlier edit
            }
            // Two removals may share the white space between them: start where the earlier one stopped.
            out.append(text, at, Math.max(at, e.start())).append(e.replacement());
            at = e.end();
        }
        return out.append(text.substring(at)).toString().stripTrailing();
    }

    private static boolean isCloser(char c) {
        return c == ')' || c == ',' || c == ';';
    }
}
