package io.fksafe.smt;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.config.ConfigException;

import io.fksafe.change.Gtid;
import io.fksafe.change.SourcePosition;

/**
 * Inclusive source-position ranges whose events the SMT marks safe: replays onto a target that may already hold them.
 *
 * <p>A range whose bounds both name a binlog file compares file/pos/row (exact within one server); otherwise both
 * bounds must be GTIDs of one stream (MariaDB domain, MySQL server uuid) and the event's GTID sequence decides, so a
 * window survives a failover that renamed the binlog files. GTIDs are read by {@link Gtid}, as the sink reads them.
 */
public final class SafeModeWindows {

    private static final String SEPARATOR = "..";

    private final List<Window> windows;

    private SafeModeWindows(List<Window> windows) {
        this.windows = List.copyOf(windows);
    }

    public static SafeModeWindows none() {
        return new SafeModeWindows(List.of());
    }

    /** Parses the config value; every error names the key, the bad range and the fix. */
    public static SafeModeWindows parse(String key, List<String> ranges) {
        List<Window> parsed = new ArrayList<>();
        for (String range : ranges) {
            if (range.isBlank()) {
                continue;
            }
            parsed.add(Window.parse(key, range.trim()));
        }
        return new SafeModeWindows(parsed);
    }

    public boolean isEmpty() {
        return windows.isEmpty();
    }

    public boolean contains(SourcePosition position) {
        if (position == null) {
            return false;
        }
        for (Window w : windows) {
            if (w.contains(position)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return windows.toString();
    }

    /** One range, its bounds read once: by file {@code from} and {@code to}, by GTID {@code first} and {@code last}. */
    private record Window(String text, SourcePosition from, SourcePosition to, Gtid first, Gtid last) {

        static Window parse(String key, String range) {
            int sep = range.indexOf(SEPARATOR);
            if (sep < 0 || range.indexOf(SEPARATOR, sep + SEPARATOR.length()) >= 0) {
                throw invalid(
                        key,
                        range,
                        "write one range as FROM..TO, e.g. "
                                + "'file=mysql-bin.000003;pos=4;row=0..file=mysql-bin.000003;pos=9000;row=0' or '0-1-100..0-1-250'");
            }
            SourcePosition from = bound(key, range, range.substring(0, sep).trim());
            SourcePosition to =
                    bound(key, range, range.substring(sep + SEPARATOR.length()).trim());
            String text = from.format() + SEPARATOR + to.format();
            if (from.file() != null && to.file() != null) {
                if (from.compareInBinlog(to) > 0) {
                    throw invalid(key, range, "FROM is after TO; swap the bounds");
                }
                return new Window(text, from, to, null, null);
            }
            if (from.gtid() == null || to.gtid() == null) {
                throw invalid(key, range, "give both bounds a binlog 'file' (with pos/row) or both a GTID");
            }
            Gtid a = from.parsedGtid();
            Gtid b = to.parsedGtid();
            if (a == null || b == null || !a.sameStream(b)) {
                throw invalid(
                        key,
                        range,
                        "GTID bounds must be single GTIDs of one MariaDB domain (domain-server-seq)"
                                + " or one MySQL server (uuid:n or uuid:tag:n); split the range per domain or server");
            }
            if (a.seq() > b.seq()) {
                throw invalid(key, range, "FROM is after TO; swap the bounds");
            }
            return new Window(text, null, null, a, b);
        }

        private static SourcePosition bound(String key, String range, String text) {
            if (text.isEmpty()) {
                throw invalid(key, range, "both FROM and TO are required");
            }
            if (!text.contains("=")) { // a bare GTID
                if (Gtid.parse(text) == null) {
                    throw invalid(
                            key,
                            range,
                            "'" + text + "' is neither a position ('file=...;pos=...;row=...')"
                                    + " nor a single GTID ('0-1-100' or 'uuid:100')");
                }
                return new SourcePosition(text, null, 0, 0, false);
            }
            try {
                return SourcePosition.parse(text);
            } catch (IllegalArgumentException e) {
                throw invalid(key, range, e.getMessage());
            }
        }

        boolean contains(SourcePosition p) {
            if (first == null) {
                // file/pos/row only: the GTID and snapshot flag must not take part in a binlog comparison
                return p.file() != null && from.compareInBinlog(p) <= 0 && p.compareInBinlog(to) <= 0;
            }
            Gtid g = p.parsedGtid();
            return g != null && g.sameStream(first) && first.seq() <= g.seq() && g.seq() <= last.seq();
        }

        private static ConfigException invalid(String key, String range, String fix) {
            return new ConfigException(key, range, fix);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
