package io.fksafe.smt;

import java.util.ArrayList;
import java.util.List;

import io.fksafe.change.SourcePosition;
import org.apache.kafka.common.config.ConfigException;

/**
 * Inclusive source-position ranges whose events the SMT marks safe: replays onto a target that may already hold them.
 *
 * <p>A range whose bounds both name a binlog file compares file/pos/row (exact within one server); otherwise both
 * bounds must be GTIDs of one stream (MariaDB domain, MySQL server uuid) and the event's GTID sequence decides, so a
 * window survives a failover that renamed the binlog files.
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

    private record Window(SourcePosition from, SourcePosition to, boolean byFile) {

        static Window parse(String key, String range) {
            int sep = range.indexOf(SEPARATOR);
            if (sep < 0 || range.indexOf(SEPARATOR, sep + SEPARATOR.length()) >= 0) {
                throw invalid(key, range, "write one range as FROM..TO, e.g. "
                        + "'file=mysql-bin.000003;pos=4;row=0..file=mysql-bin.000003;pos=9000;row=0' or '0-1-100..0-1-250'");
            }
            SourcePosition from = bound(key, range, range.substring(0, sep).trim());
            SourcePosition to = bound(key, range, range.substring(sep + SEPARATOR.length()).trim());
            boolean byFile = from.file() != null && to.file() != null;
            if (!byFile) {
                if (from.gtid() == null || to.gtid() == null) {
                    throw invalid(key, range, "give both bounds a binlog 'file' (with pos/row) or both a GTID");
                }
                Gtids.Gtid a = Gtids.parse(from.gtid());
                Gtids.Gtid b = Gtids.parse(to.gtid());
                if (a == null || b == null || !a.stream().equals(b.stream())) {
                    throw invalid(key, range, "GTID bounds must be of one MariaDB domain (domain-server-seq) or one"
                            + " MySQL server (uuid:n); split the range per domain or server");
                }
                if (a.seq() > b.seq()) {
                    throw invalid(key, range, "FROM is after TO; swap the bounds");
                }
            } else if (strip(from).compareTo(strip(to)) > 0) {
                throw invalid(key, range, "FROM is after TO; swap the bounds");
            }
            return new Window(from, to, byFile);
        }

        private static SourcePosition bound(String key, String range, String text) {
            if (text.isEmpty()) {
                throw invalid(key, range, "both FROM and TO are required");
            }
            if (!text.contains("=")) { // a bare GTID
                if (Gtids.parse(text) == null) {
                    throw invalid(key, range, "'" + text + "' is neither a position ('file=...;pos=...;row=...')"
                            + " nor a GTID ('0-1-100' or 'uuid:100')");
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
            if (byFile) {
                if (p.file() == null) {
                    return false;
                }
                SourcePosition at = strip(p);
                return strip(from).compareTo(at) <= 0 && at.compareTo(strip(to)) <= 0;
            }
            Gtids.Gtid g = p.gtid() == null ? null : Gtids.parse(p.gtid());
            Gtids.Gtid a = Gtids.parse(from.gtid());
            return g != null && g.stream().equals(a.stream())
                    && a.seq() <= g.seq() && g.seq() <= Gtids.parse(to.gtid()).seq();
        }

        /** File/pos/row only: the GTID and snapshot flag must not take part in a binlog comparison. */
        private static SourcePosition strip(SourcePosition p) {
            return new SourcePosition(null, p.file(), p.pos(), p.event(), p.row(), false);
        }

        private static ConfigException invalid(String key, String range, String fix) {
            return new ConfigException(key, range, fix);
        }

        @Override
        public String toString() {
            return from.format() + SEPARATOR + to.format();
        }
    }
}
