package io.fksafe.sink.dialect;

import io.fksafe.sink.metadata.TableId;

/** MySQL 8.0.20+: {@code VALUES(col)} in ON DUPLICATE KEY UPDATE is deprecated; the new row is named by an alias. */
final class MySqlRowAliasDialect extends Dialect {

    MySqlRowAliasDialect(ServerVersion version) {
        super(version);
    }

    @Override
    protected String rowAlias() {
        return " AS new";
    }

    @Override
    protected String newValue(String column) {
        return "new." + TableId.quote(column);
    }
}
