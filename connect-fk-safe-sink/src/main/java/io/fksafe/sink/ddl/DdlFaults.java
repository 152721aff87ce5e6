package io.fksafe.sink.ddl;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test hook: makes one connector's DDL applier fail once at a chosen step, as a crash (the task dies) or as a lost
 * connection (the task retries). Armed only by tests in this package; nothing arms it in production.
 */
final class DdlFaults {

    enum Step {
        /** The intent is committed; the statement has not run. */
        AFTER_INTENT,
        /** The statement ran (and committed implicitly); it is not marked done and the checkpoint has not moved. */
        AFTER_DDL
    }

    /** Stands for the process dying: the task stops and is started again. */
    static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String message) {
            super(message);
        }
    }

    private record Fault(Step step, boolean transientError) {
    }

    private static final Map<String, Fault> ARMED = new ConcurrentHashMap<>();

    private DdlFaults() {
    }

    static void arm(String connector, Step step, boolean transientError) {
        ARMED.put(connector, new Fault(step, transientError));
    }

    static void disarm(String connector) {
        ARMED.remove(connector);
    }

    static void reach(String connector, Step step) throws SQLException {
        Fault f = ARMED.get(connector);
        if (f != null && f.step == step && ARMED.remove(connector, f)) {
            if (f.transientError) {
                throw new SQLTransientConnectionException("simulated lost connection at " + step, "08S01", 2013);
            }
            throw new SimulatedCrash("simulated crash at " + step);
        }
    }
}
