package io.fksafe.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plain SQL script (the seed lab's files): {@code --} comments dropped, statements split at {@code ;}. Enough for
 * scripts without procedures and without {@code ;} or {@code --} inside string literals.
 */
public record SqlScript(String name, List<String> statements) {

    public static SqlScript resource(String path) {
        try (InputStream in = SqlScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + path);
            }
            return parse(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SqlScript parse(String name, String text) {
        StringBuilder clean = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            int comment = line.indexOf("--");
            clean.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        List<String> out = new ArrayList<>();
        for (String s : clean.toString().split(";")) {
            String t = s.strip();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return new SqlScript(name, List.copyOf(out));
    }

    /**
     * The schema part: what a target needs before the rows arrive when DDL is not replicated (database and table
     * statements, and {@code USE} so they land in the right database).
     */
    public SqlScript schemaOnly() {
        List<String> ddl = new ArrayList<>();
        for (String s : statements) {
            String head = s.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
            if (List.of("CREATE", "DROP", "ALTER", "RENAME", "USE").contains(head)) {
                ddl.add(s);
            }
        }
        return new SqlScript(name + " (schema only)", List.copyOf(ddl));
    }

    public String text() {
        return String.join(";\n", statements) + ";";
    }
}
