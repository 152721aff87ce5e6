package io.fksafe.sink.metadata;

/** A target table. Names are kept as given; the target decides case sensitivity. */
public record TableId(String database, String table) {

    public TableId {
        if (database == null || database.isEmpty() || table == null || table.isEmpty()) {
            throw new IllegalArgumentException(
                    "a table needs a database and a name, got '" + database + "." + table + "'");
        }
    }

    /** Backtick-quoted {@code `db`.`table`}; backticks inside names are doubled. */
    public String quoted() {
        return quote(database) + "." + quote(table);
    }

    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public String toString() {
        return database + "." + table;
    }
}
