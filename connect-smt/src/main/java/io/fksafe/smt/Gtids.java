package io.fksafe.smt;

/** Splits a single GTID into the stream it orders within and its sequence number. */
final class Gtids {

    record Gtid(String stream, long seq) { }

    private Gtids() { }

    /** MariaDB {@code domain-server-seq} (stream = domain) or MySQL {@code uuid:n} / {@code uuid:tag:n}; else null. */
    static Gtid parse(String gtid) {
        if (gtid == null) {
            return null;
        }
        try {
            int colon = gtid.lastIndexOf(':');
            if (colon > 0) {
                return new Gtid(gtid.substring(0, colon).toLowerCase(java.util.Locale.ROOT),
                        Long.parseLong(gtid.substring(colon + 1)));
            }
            String[] parts = gtid.split("-");
            if (parts.length == 3) {
                Long.parseLong(parts[1]);
                return new Gtid(Long.toString(Long.parseLong(parts[0])), Long.parseLong(parts[2]));
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }
}
