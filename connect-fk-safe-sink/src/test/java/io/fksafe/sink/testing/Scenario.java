package io.fksafe.sink.testing;

import io.fksafe.change.ChangeRecord;

/**
 * A source history: each step runs its SQL on a real source database (so the expected state comes from the server's
 * own FK rules) and appends the change records Debezium would emit for it — which, as on MySQL &le; 8.4 and
 * MariaDB, do not include cascaded child changes.
 */
public final class Scenario {

    private final TestDatabase server;
    private final String sourceDb;
    private final ChangeStream stream = new ChangeStream();

    public Scenario(TestDatabase server, String sourceDb) {
        this.server = server;
        this.sourceDb = sourceDb;
    }

    /** One source transaction: {@code sql} (statements split on ';', {@code $} for the source database) and its changes. */
    public Scenario step(String sql, ChangeRecord... changes) {
        String[] statements = sql.replace("$", "`" + sourceDb + "`").split(";");
        java.util.List<String> all = new java.util.ArrayList<>();
        all.add("START TRANSACTION");
        all.addAll(java.util.Arrays.asList(statements));
        all.add("COMMIT");
        server.exec(all.toArray(String[]::new));
        stream.tx(changes);
        return this;
    }

    public ChangeStream stream() {
        return stream;
    }

    public String sourceDb() {
        return sourceDb;
    }
}
