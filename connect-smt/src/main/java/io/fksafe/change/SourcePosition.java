package io.fksafe.change;

import java.util.Objects;

/**
 * Where a change happened in one source server's binlog, comparable within that source.
 *
 * <p>Binlog coordinates order the changes of one server; the GTID orders transactions across a failover, when file
 * names restart. Debezium's {@code pos} is where the event's <em>transaction</em> starts, so every change of one
 * transaction shares it: {@code event} (Debezium's {@code transaction.total_order}, 1-based; 0 when unknown) orders
 * the changes inside the transaction and {@code row} the rows of one multi-row binlog event. Snapshot reads all
 * share the binlog position the snapshot was taken at, so they are marked and never treated as duplicates of each
 * other.
 *
 * <p>Text form (stored in the sink's checkpoint): {@code gtid=0-1-42;file=mysql-bin.000003;pos=4249;event=2;row=0;snapshot=true};
 * absent parts, {@code event=0} and {@code snapshot=false} are omitted.
 */
public final class SourcePosition implements Comparable<SourcePosition> {

    /**
     * The last position {@link #parse} read. Shared by threads without a lock: a SourcePosition is immutable (final
     * fields), so a thread sees a whole one, if not the latest.
     */
    private static SourcePosition lastParsed;

    private final String gtid;
    /** {@link #gtid} read once, here: positions are compared per record by the sink and the transform. */
    private final Gtid parsedGtid;

    private final String file;
    private final long pos;
    private final long event;
    private final int row;
    private final boolean snapshot;

    public SourcePosition(String gtid, String file, long pos, int row, boolean snapshot) {
        this(gtid, file, pos, 0, row, snapshot);
    }

    /** @param event the change's 1-based index in its transaction (Debezium's transaction.total_order), 0 if unknown */
    public SourcePosition(String gtid, String file, long pos, long event, int row, boolean snapshot) {
        this(emptyToNull(gtid), Gtid.parse(gtid), file, pos, event, row, snapshot);
    }

    private SourcePosition(String gtid, Gtid parsedGtid, String file, long pos, long event, int row, boolean snapshot) {
        this.gtid = gtid;
        this.parsedGtid = parsedGtid;
        this.file = emptyToNull(file);
        this.pos = pos;
        this.event = event;
        this.row = row;
        this.snapshot = snapshot;
    }

    /** The GTID as the source wrote it; null without one. */
    public String gtid() {
        return gtid;
    }
    /** The GTID, read; null without one or when it is not one GTID (then binlog coordinates order the position). */
    public Gtid parsedGtid() {
        return parsedGtid;
    }

    public String file() {
        return file;
    }

    public long pos() {
        return pos;
    }
    /** The change's 1-based index within its transaction; 0 when unknown (no transaction metadata, snapshot). */
    public long event() {
        return event;
    }

    public int row() {
        return row;
    }

    public boolean snapshot() {
        return snapshot;
    }

    /**
     * Orders two positions of the same source. GTIDs decide when both come from the same GTID domain (MariaDB
     * {@code domain-server-seq}) or server (MySQL {@code uuid:n}) and their sequence numbers differ ({@link Gtid});
     * otherwise binlog file, pos, event, row.
     */
    @Override
    public int compareTo(SourcePosition other) {
        Gtid a = parsedGtid;
        Gtid b = other.parsedGtid;
        if (a != null && b != null && a.sameStream(b) && a.seq() != b.seq()) {
            return Long.compare(a.seq(), b.seq());
        }
        return compareInBinlog(other);
    }

    /** Orders by binlog coordinates alone (file, pos, event, row), whatever the GTIDs and snapshot flags say. */
    public int compareInBinlog(SourcePosition other) {
        int c = compareFiles(file, other.file);
        if (c != 0) {
            return c;
        }
        c = Long.compare(pos, other.pos);
        if (c != 0) {
            return c;
        }
        c = Long.compare(event, other.event);
        return c != 0 ? c : Integer.compare(row, other.row);
    }

    /** True when this position is at or before {@code other}: a streaming event there was already applied. */
    public boolean isAtOrBefore(SourcePosition other) {
        return compareTo(other) <= 0;
    }

    /**
     * True when this change's whole transaction is at or before the transaction of {@code other}: same GTID, or the
     * same transaction start (file, pos), counts. It compares transactions, not changes, so it alone never proves that
     * a change was applied; see {@link #sameTransaction} and {@link #transactionBefore}.
     */
    public boolean transactionAtOrBefore(SourcePosition other) {
        Gtid a = parsedGtid;
        Gtid b = other.parsedGtid;
        // one sequence number under two MariaDB server ids (no gtid_strict_mode): two transactions the GTID cannot
        // order
        if (a != null && b != null && a.sameStream(b) && (a.seq() != b.seq() || a.equals(b))) {
            return a.seq() <= b.seq();
        }
        int c = compareFiles(file, other.file);
        return c < 0 || (c == 0 && pos <= other.pos);
    }

    /**
     * True when both positions belong to one transaction: the same GTID, or without GTIDs the same transaction start
     * (file, pos). Without transaction metadata every row of a transaction has the same position, so this is all a
     * position can say about two of its rows.
     */
    public boolean sameTransaction(SourcePosition other) {
        if (gtid != null && other.gtid != null) {
            return parsedGtid != null && other.parsedGtid != null
                    ? parsedGtid.equals(other.parsedGtid)
                    : gtid.equals(other.gtid);
        }
        return compareFiles(file, other.file) == 0 && pos == other.pos;
    }

    /** True when this change's transaction ended before the transaction of {@code other} began. */
    public boolean transactionBefore(SourcePosition other) {
        return !sameTransaction(other) && transactionAtOrBefore(other);
    }

    /**
     * True when both positions carry the change's index in its transaction (Debezium's total_order), the only exact
     * position of a row inside a transaction.
     */
    public boolean exactInTransaction(SourcePosition other) {
        return event > 0 && other.event > 0;
    }

    public String format() {
        StringBuilder sb = new StringBuilder(96);
        if (gtid != null) {
            sb.append("gtid=").append(gtid).append(';');
        }
        if (file != null) {
            sb.append("file=").append(file).append(';');
        }
        sb.append("pos=").append(pos);
        if (event != 0) {
            sb.append(";event=").append(event);
        }
        sb.append(";row=").append(row);
        if (snapshot) {
            sb.append(";snapshot=true");
        }
        return sb.toString();
    }

    /**
     * Reads the text form: {@code ;}-separated {@code key=value} parts, blanks around keys and values ignored, unknown
     * keys ignored (later versions may add parts; ignoring them keeps old checkpoints readable).
     */
    public static SourcePosition parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        // Called per record: scans in place instead of splitting, and takes gtid and file from the last position
        // read when they are the same text, as they are for every row of one transaction.
        SourcePosition previous = lastParsed;
        String gtid = null;
        Gtid parsedGtid = null;
        String file = null;
        long pos = 0;
        long event = 0;
        int row = 0;
        boolean snapshot = false;
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ';') {
            end--; // trailing empty parts, as String.split drops them
        }
        for (int start = 0; start < end; ) {
            int semi = text.indexOf(';', start);
            if (semi < 0) {
                semi = end;
            }
            int eq = text.indexOf('=', start);
            if (eq < 0 || eq > semi) {
                throw new IllegalArgumentException("malformed source position '" + text + "': part '"
                        + text.substring(start, semi) + "' has no '='");
            }
            int keyStart = skipBlanks(text, start, eq);
            int keyEnd = trimBlanks(text, keyStart, eq);
            int valueStart = skipBlanks(text, eq + 1, semi);
            int valueEnd = trimBlanks(text, valueStart, semi);
            try {
                if (isKey(text, keyStart, keyEnd, "gtid")) {
                    gtid = previous == null ? null : sameText(text, valueStart, valueEnd, previous.gtid);
                    parsedGtid = gtid == null ? null : previous.parsedGtid;
                    if (gtid == null) {
                        gtid = emptyToNull(text.substring(valueStart, valueEnd));
                        parsedGtid = Gtid.parse(gtid);
                    }
                } else if (isKey(text, keyStart, keyEnd, "file")) {
                    file = previous == null ? null : sameText(text, valueStart, valueEnd, previous.file);
                    if (file == null) {
                        file = text.substring(valueStart, valueEnd);
                    }
                } else if (isKey(text, keyStart, keyEnd, "pos")) {
                    pos = Long.parseLong(text, valueStart, valueEnd, 10);
                } else if (isKey(text, keyStart, keyEnd, "event")) {
                    event = Long.parseLong(text, valueStart, valueEnd, 10);
                } else if (isKey(text, keyStart, keyEnd, "row")) {
                    row = Integer.parseInt(text, valueStart, valueEnd, 10);
                } else if (isKey(text, keyStart, keyEnd, "snapshot")) {
                    snapshot = valueEnd - valueStart == 4 && text.regionMatches(true, valueStart, "true", 0, 4);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "malformed source position '" + text + "': " + text.substring(keyStart, keyEnd)
                                + " is not a number",
                        e);
            }
            start = semi + 1;
        }
        SourcePosition parsed = new SourcePosition(gtid, parsedGtid, file, pos, event, row, snapshot);
        lastParsed = parsed;
        return parsed;
    }

    /** {@code candidate} when it is the text of {@code s[from, to)}, else null. */
    private static String sameText(String s, int from, int to, String candidate) {
        return candidate != null && candidate.length() == to - from && s.regionMatches(from, candidate, 0, to - from)
                ? candidate
                : null;
    }

    private static boolean isKey(String s, int from, int to, String key) {
        return to - from == key.length() && s.regionMatches(from, key, 0, key.length());
    }

    /** As String.trim counts blanks: every char up to and including ' '. */
    private static int skipBlanks(String s, int from, int to) {
        while (from < to && s.charAt(from) <= ' ') {
            from++;
        }
        return from;
    }

    private static int trimBlanks(String s, int from, int to) {
        while (to > from && s.charAt(to - 1) <= ' ') {
            to--;
        }
        return to;
    }

    /** Binlog files rotate as {@code base.000009 -> base.000010}: compare the numeric suffix, not the text. */
    static int compareFiles(String a, String b) {
        if (Objects.equals(a, b)) {
            return 0;
        }
        if (a == null) {
            return -1;
        }
        if (b == null) {
            return 1;
        }
        long na = suffixNumber(a);
        long nb = suffixNumber(b);
        if (na >= 0 && nb >= 0 && na != nb) {
            return Long.compare(na, nb);
        }
        return a.compareTo(b);
    }

    private static long suffixNumber(String file) {
        int dot = file.lastIndexOf('.');
        try {
            return dot < 0 ? -1 : Long.parseLong(file, dot + 1, file.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SourcePosition p)) {
            return false;
        }
        return pos == p.pos
                && event == p.event
                && row == p.row
                && snapshot == p.snapshot
                && Objects.equals(gtidIdentity(), p.gtidIdentity())
                && Objects.equals(file, p.file);
    }

    @Override
    public int hashCode() {
        return Objects.hash(gtidIdentity(), file, pos, event, row, snapshot);
    }

    /** What makes two GTIDs one: the read GTID (its spelling does not matter), else the text. */
    private Object gtidIdentity() {
        return parsedGtid != null ? parsedGtid : gtid;
    }

    @Override
    public String toString() {
        return format();
    }
}
