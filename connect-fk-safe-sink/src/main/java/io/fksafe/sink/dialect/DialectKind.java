package io.fksafe.sink.dialect;

import java.util.Locale;

/** The target families fksafe writes to. AUTO is resolved from {@code VERSION()} on connect. */
public enum DialectKind {
    AUTO,
    TIDB,
    MYSQL,
    MARIADB;

    public static DialectKind parse(String value) {
        return DialectKind.valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
