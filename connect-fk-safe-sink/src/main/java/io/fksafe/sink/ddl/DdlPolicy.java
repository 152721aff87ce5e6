package io.fksafe.sink.ddl;

import java.util.Locale;
import java.util.Set;

/**
 * Which statements run on the target. Never: session statements, objects that are deliberately not replicated,
 * statements that change no schema, anything touching a system schema or the sink's own database, and — from
 * Debezium's snapshot — anything but creating a database or table that is missing.
 */
final class DdlPolicy {

    enum Action {
        RUN,
        SKIP,
        REFUSE
    }

    record Decision(Action action, String reason) {
        static final Decision RUN = new Decision(Action.RUN, null);
    }

    private static final Set<String> SYSTEM_SCHEMAS = Set.of(
            "mysql", "information_schema", "performance_schema", "sys", "metrics_schema"); // metrics_schema: TiDB's

    private final String sinkDatabase;

    /** {@code sinkDatabase}: the database of the checkpoint table and DDL journal. */
    DdlPolicy(String sinkDatabase) {
        this.sinkDatabase = sinkDatabase.toLowerCase(Locale.ROOT);
    }

    Decision decide(DdlStatement s, boolean snapshot) {
        switch (s.kind) {
            case SESSION, NOT_REPLICATED, NO_SCHEMA_CHANGE -> {
                return new Decision(Action.SKIP, s.reason);
            }
            case UNSUPPORTED -> {
                return new Decision(Action.REFUSE, s.reason);
            }
            default -> {}
        }
        if (snapshot && (s.orReplace || (s.kind != DdlKind.CREATE_TABLE && s.kind != DdlKind.CREATE_DATABASE))) {
            return new Decision(
                    Action.SKIP,
                    "Debezium's snapshot re-creates the source schema from scratch (DROP ... IF "
                            + "EXISTS first); on a target only creating what is missing is safe");
        }
        return protectedSchema(s);
    }

    /** SKIP if the statement touches a system schema or the sink's own database. */
    Decision protectedSchema(DdlStatement s) {
        for (String db : s.databases()) {
            String lower = db.toLowerCase(Locale.ROOT);
            if (SYSTEM_SCHEMAS.contains(lower)) {
                return new Decision(Action.SKIP, "system schema '" + db + "' is never changed on the target");
            }
            if (lower.equals(sinkDatabase)) {
                return new Decision(
                        Action.SKIP,
                        "database '" + db + "' holds the sink's checkpoint and DDL journal and is "
                                + "never changed by replicated DDL");
            }
        }
        return Decision.RUN;
    }
}
