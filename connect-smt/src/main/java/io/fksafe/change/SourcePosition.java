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

    private final String gtid;
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
        this.gtid = emptyToNull(gtid);
        this.file = emptyToNull(file);
        this.pos = pos;
        this.event = event;
        this.row = row;
        this.snapshot = snapshot;
    }

    public String gtid() { return gtid; }
    public String file() { return file; }
    public long pos() { return pos; }
    /** The change's 1-based index within its transaction; 0 when unknown (no transaction metadata, snapshot). */
    public long event() { return event; }
    public int row() { return row; }
    public boolean snapshot() { return snapshot; }

    /**
     * Orders two positions of the same source. GTIDs decide when both come from the same GTID domain (MariaDB
     * {@code domain-server-seq}) or server (MySQL {@code uuid:n}) and differ; otherwise binlog file, pos, event, row.
     */
    @Override
    public int compareTo(SourcePosition other) {
        if (gtid != null && other.gtid != null && !gtid.equals(other.gtid)) {
            Gtid a = Gtid.parse(gtid);
            Gtid b = Gtid.parse(other.gtid);
            if (a != null && b != null && a.stream.equals(b.stream) && a.seq != b.seq) {
                return Long.compare(a.seq, b.seq);
            }
        }
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
        if (gtid != null && other.gtid != null) {
            Gtid a = Gtid.parse(gtid);
            Gtid b = Gtid.parse(other.gtid);
            if (a != null && b != null && a.stream.equals(b.stream)) {
                return a.seq <= b.seq;
            }
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
            return gtid.equals(other.gtid);
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
        StringBuilder sb = new StringBuilder();
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

    public static SourcePosition parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String gtid = null;
        String file = null;
        long pos = 0;
        long event = 0;
        int row = 0;
        boolean snapshot = false;
        for (String part : text.split(";")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("malformed source position '" + text + "': part '" + part + "' has no '='");
            }
            String key = part.substring(0, eq).trim();
            String value = part.substring(eq + 1).trim();
            try {
                switch (key) {
                    case "gtid" -> gtid = value;
                    case "file" -> file = value;
                    case "pos" -> pos = Long.parseLong(value);
                    case "event" -> event = Long.parseLong(value);
                    case "row" -> row = Integer.parseInt(value);
                    case "snapshot" -> snapshot = Boolean.parseBoolean(value);
                    default -> { /* later versions may add parts; ignoring them keeps old checkpoints readable */ }
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed source position '" + text + "': " + key + " is not a number", e);
            }
        }
        return new SourcePosition(gtid, file, pos, event, row, snapshot);
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
            return dot < 0 ? -1 : Long.parseLong(file.substring(dot + 1));
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
        return pos == p.pos && event == p.event && row == p.row && snapshot == p.snapshot
                && Objects.equals(gtid, p.gtid) && Objects.equals(file, p.file);
    }

    @Override
    public int hashCode() {
        return Objects.hash(gtid, file, pos, event, row, snapshot);
    }

    @Override
    public String toString() {
        return format();
    }

    /** A GTID split into its ordering stream (MariaDB domain, MySQL server uuid[:tag]) and sequence number. */
    private record Gtid(String stream, long seq) {
        static Gtid parse(String gtid) {
            try {
                int colon = gtid.lastIndexOf(':');
                if (colon > 0) { // MySQL uuid:n or uuid:tag:n
                    return new Gtid(gtid.substring(0, colon), Long.parseLong(gtid.substring(colon + 1)));
                }
                String[] parts = gtid.split("-");
                if (parts.length == 3) { // MariaDB domain-server-seq: the server id changes on failover, the domain does not
                    return new Gtid(parts[0], Long.parseLong(parts[2]));
                }
            } catch (NumberFormatException e) {
                return null;
            }
            return null;
        }
    }
}
