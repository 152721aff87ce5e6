package io.fksafe.sink.config;

import java.lang.reflect.Constructor;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place that keeps the target's credentials out of log lines, exception messages and REST validation
 * messages. JDBC drivers echo parts of the URL when they cannot parse it or connect, and a URL may carry credentials
 * ({@code jdbc:mysql://u:secret@host/}, {@code jdbc:mariadb://host/db?user=u&password=secret}); the configured
 * password can turn up in a driver's message too. Both are masked: by pattern (URL user info, {@code *password*=}
 * pairs) and literally (the password and the credentials the URL carries, raw and percent-decoded).
 */
public final class Redaction {

    public static final String MASK = "****";

    /** {@code //user:secret@}: the password part of a URL's user info. */
    private static final Pattern USER_INFO = Pattern.compile("(//[^/?#@\\s:]*:)([^/?#\\s]*)(@)");
    /** {@code password=secret} in a query string, a {@code ;key=value} list or a {@code (key=value)} address. */
    private static final Pattern SECRET_PAIR =
            Pattern.compile("(?i)([a-z0-9_.-]*(?:password|passwd|pwd|secret)[a-z0-9_.-]*\\s*=\\s*)([^&;,)\\s'\"]+)");
    /** A config provider reference as the worker's ConfigTransformer matches it: {@code ${provider:[path:]key}}. */
    static final Pattern REFERENCE = Pattern.compile("\\$\\{[^}]*:[^}]*}");
    /** Shorter literals are left to the patterns: replacing one or two characters everywhere would garble the text. */
    private static final int MIN_LITERAL = 3;

    private final Set<String> literals;

    private Redaction(Set<String> literals) {
        this.literals = literals;
    }

    /** For a connection URL and a password (either may be null), as configured. */
    public static Redaction of(String url, String password) {
        Set<String> lit = new LinkedHashSet<>();
        add(lit, password);
        if (url != null) {
            int start = url.indexOf("//");
            if (start >= 0) {
                int end = indexOfAny(url, "/?#", start + 2);
                String authority = url.substring(start + 2, end);
                int at = authority.lastIndexOf('@');
                int colon = authority.indexOf(':');
                if (at > 0 && colon >= 0 && colon < at) {
                    add(lit, authority.substring(colon + 1, at));
                }
            }
            Matcher m = SECRET_PAIR.matcher(url);
            while (m.find()) {
                add(lit, m.group(2));
            }
        }
        return new Redaction(Set.copyOf(lit));
    }

    /** Masks URL credentials by pattern only: for a URL or text when no configuration is at hand. */
    public static String maskPatterns(String text) {
        if (text == null) {
            return null;
        }
        String out = USER_INFO.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(MASK) + "$3");
        return SECRET_PAIR.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(MASK));
    }

    /** The text with every known secret and every credential-looking URL part masked. */
    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : literals) {
            out = out.replace(s, MASK);
        }
        return maskPatterns(out);
    }

    /**
     * The exception itself when nothing in its message or its causes' messages needs masking (the usual case: its type
     * and details stay intact); otherwise a copy with masked messages, the same SQL state, error code and, where the
     * class allows, the same type, so retry classification still works.
     */
    public SQLException apply(SQLException e) {
        return leaks(e) ? (SQLException) scrub(e) : e;
    }

    private boolean leaks(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !apply(m).equals(m)) {
                return true;
            }
        }
        return false;
    }

    private Throwable scrub(Throwable t) {
        Throwable copy = t instanceof SQLException s
                ? copyOf(s, apply(s.getMessage()))
                : new Exception(t.getClass().getName() + ": " + apply(t.getMessage()));
        copy.setStackTrace(t.getStackTrace());
        if (t.getCause() != null && t.getCause() != t) {
            copy.initCause(scrub(t.getCause()));
        }
        return copy;
    }

    private static SQLException copyOf(SQLException e, String message) {
        try {
            Constructor<? extends SQLException> c = e.getClass().getConstructor(String.class, String.class, int.class);
            return c.newInstance(message, e.getSQLState(), e.getErrorCode());
        } catch (ReflectiveOperationException | RuntimeException noSuchConstructor) {
            return new SQLException(message, e.getSQLState(), e.getErrorCode());
        }
    }

    private static void add(Set<String> lit, String secret) {
        if (secret == null
                || secret.length() < MIN_LITERAL
                || REFERENCE.matcher(secret).matches()) { // a name, not a secret
            return;
        }
        lit.add(secret);
        try {
            String decoded = URLDecoder.decode(secret, StandardCharsets.UTF_8);
            if (decoded.length() >= MIN_LITERAL) {
                lit.add(decoded);
            }
        } catch (IllegalArgumentException notEncoded) {
            // a literal '%' not followed by hex digits: the raw form is all there is
        }
    }

    private static int indexOfAny(String s, String chars, int from) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }
}
