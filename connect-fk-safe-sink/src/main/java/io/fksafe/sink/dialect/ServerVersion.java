package io.fksafe.sink.dialect;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code SELECT VERSION()} says about the target: its family and version number (for TiDB the MySQL version it
 * imitates; its own is {@link #release()}). The one parser of target versions.
 */
public record ServerVersion(DialectKind kind, int major, int minor, int patch, String raw) {

    private static final Pattern NUMBERS = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Pattern TIDB_RELEASE = Pattern.compile("TiDB-v?(\\d+)\\.(\\d+)\\.(\\d+)");

    /**
     * Parses e.g. {@code 8.0.36}, {@code 11.4.5-MariaDB}, {@code 5.5.5-10.6.13-MariaDB-log} (MariaDB's replication
     * prefix) or {@code 8.0.11-TiDB-v8.5.4} (TiDB reports the MySQL version it imitates).
     */
    public static ServerVersion parse(String version) {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("the target returned an empty VERSION()");
        }
        String v = version.trim();
        DialectKind kind;
        if (v.contains("TiDB")) {
            kind = DialectKind.TIDB;
        } else if (v.toLowerCase(java.util.Locale.ROOT).contains("mariadb")) {
            kind = DialectKind.MARIADB;
            if (v.startsWith("5.5.5-")) {
                v = v.substring("5.5.5-".length());
            }
        } else {
            kind = DialectKind.MYSQL;
        }
        Matcher m = NUMBERS.matcher(v);
        if (!m.find()) {
            return new ServerVersion(kind, 0, 0, 0, version);
        }
        return new ServerVersion(
                kind,
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)),
                version);
    }

    /**
     * The target's own release, which says what it supports. TiDB reports the MySQL version it imitates and its own
     * after it: v8.5.4 in {@code 8.0.11-TiDB-v8.5.4}; null when its VERSION() does not say. For MySQL and MariaDB, whose
     * version is their release: this.
     */
    public ServerVersion release() {
        if (kind != DialectKind.TIDB) {
            return this;
        }
        Matcher m = TIDB_RELEASE.matcher(raw == null ? "" : raw);
        return m.find()
                ? new ServerVersion(
                        kind,
                        Integer.parseInt(m.group(1)),
                        Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)),
                        raw)
                : null;
    }

    /** {@code major.minor.patch}. */
    public String number() {
        return major + "." + minor + "." + patch;
    }

    public boolean atLeast(int maj, int min, int pat) {
        if (major != maj) {
            return major > maj;
        }
        if (minor != min) {
            return minor > min;
        }
        return patch >= pat;
    }
}
