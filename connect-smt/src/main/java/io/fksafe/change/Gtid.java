package io.fksafe.change;

import java.util.Locale;

/**
 * One global transaction id, read the same way wherever fksafe compares GTIDs: the transform's safe-mode windows and
 * the sink's source positions (its duplicate check and checkpoint).
 *
 * <ul>
 * <li>MariaDB {@code domain-server-seq}: ordered by {@code seq} within the domain. The server id changes on a failover
 *     and does not order, but it tells apart two transactions of one domain with the same {@code seq} (possible
 *     without {@code gtid_strict_mode}). The numbers are compared as numbers: {@code 00-1-5} is {@code 0-1-5}.
 * <li>MySQL {@code uuid:n}, and {@code uuid:tag:n} (MySQL 8.4): ordered by {@code n} within the server uuid (and
 *     tag). Both are case-insensitive in MySQL, so they are compared in lower case.
 * </ul>
 * Numbers are decimal digits without a sign. A GTID set or interval ({@code uuid:1-5}, {@code 0-1-5,1-1-9}) is not
 * one GTID, and neither is anything else: {@link #parse} returns null and a position falls back to binlog coordinates.
 */
public final class Gtid {

    private static final int UUID_LENGTH = 36;
    private static final int MAX_TAG_LENGTH = 32;
    /** MySQL GTIDs have no server id part. */
    private static final long NO_SERVER = -1;

    /**
     * The last GTID parsed: the rows of one transaction share it, so most records skip the parse. A racy cache is
     * enough: a Gtid is immutable (final fields), so a thread sees a whole one or another, never a torn one.
     */
    private static Gtid last;

    private final String text;
    private final String stream;
    private final long server;
    private final long seq;

    private Gtid(String text, String stream, long server, long seq) {
        this.text = text;
        this.stream = stream;
        this.server = server;
        this.seq = seq;
    }

    /** The GTID in {@code text}, or null when it is null, empty or not one GTID of either form. */
    public static Gtid parse(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        Gtid cached = last;
        if (cached != null && cached.text.equals(text)) {
            return cached;
        }
        Gtid parsed = text.indexOf(':') >= 0 ? mysql(text) : mariaDb(text);
        if (parsed != null) {
            last = parsed;
        }
        return parsed;
    }

    private static Gtid mariaDb(String text) {
        int first = text.indexOf('-');
        int second = first < 0 ? -1 : text.indexOf('-', first + 1);
        if (second < 0 || text.indexOf('-', second + 1) >= 0) {
            return null;
        }
        long domain = number(text, 0, first);
        long server = number(text, first + 1, second);
        long seq = number(text, second + 1, text.length());
        if (domain < 0 || server < 0 || seq < 0) {
            return null;
        }
        return new Gtid(text, Long.toString(domain), server, seq);
    }

    private static Gtid mysql(String text) {
        int colon = text.lastIndexOf(':');
        long seq = number(text, colon + 1, text.length());
        if (seq < 0
                || !isUuid(text, 0)
                || !(colon == UUID_LENGTH || isTag(text, UUID_LENGTH + 1, colon))
                || text.charAt(UUID_LENGTH) != ':') {
            return null;
        }
        return new Gtid(text, text.substring(0, colon).toLowerCase(Locale.ROOT), NO_SERVER, seq);
    }

    /** 8-4-4-4-12 hex digits at {@code from}. */
    private static boolean isUuid(String s, int from) {
        if (s.length() < from + UUID_LENGTH) {
            return false;
        }
        for (int i = 0; i < UUID_LENGTH; i++) {
            char c = s.charAt(from + i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-' : Character.digit(c, 16) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A MySQL GTID tag: a letter or underscore, then letters, digits and underscores, at most 32. */
    private static boolean isTag(String s, int from, int to) {
        if (to <= from || to - from > MAX_TAG_LENGTH) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            if (!letter && !(i > from && c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    /** The decimal number in {@code s[from, to)}, or -1 when it is empty, has a non-digit or overflows. */
    private static long number(String s, int from, int to) {
        if (to <= from) {
            return -1;
        }
        long n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9' || n > (Long.MAX_VALUE - (c - '0')) / 10) {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** The GTID as it was written. */
    public String text() {
        return text;
    }

    /** What the sequence number counts in: the MariaDB domain, or the MySQL server uuid (and tag), normalised. */
    public String stream() {
        return stream;
    }

    /** The sequence number within {@link #stream()}. */
    public long seq() {
        return seq;
    }

    /** True when both count in one stream, so their sequence numbers order them. */
    public boolean sameStream(Gtid other) {
        return stream.equals(other.stream);
    }

    /** One transaction: same stream, sequence number and (MariaDB) server id, however the text spells them. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Gtid g && seq == g.seq && server == g.server && stream.equals(g.stream);
    }

    @Override
    public int hashCode() {
        return (stream.hashCode() * 31 + Long.hashCode(server)) * 31 + Long.hashCode(seq);
    }

    @Override
    public String toString() {
        return text;
    }
}
