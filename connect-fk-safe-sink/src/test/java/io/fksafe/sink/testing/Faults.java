package io.fksafe.sink.testing;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import io.fksafe.sink.target.FaultPoint;

/**
 * The fault hook {@link TaskRunner} hands to the task it starts: armed by a test for one shot at one point, where it
 * crashes the task, loses the connection, or runs what the test gives it. Unarmed it does nothing.
 */
public final class Faults implements FaultPoint.Hook {

    /** What happens at the armed point. */
    @FunctionalInterface
    public interface Fault {
        void fire() throws SQLException;
    }

    /** Stands for the process dying: the task stops and is started again. */
    public static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedCrash(String message) {
            super(message);
        }
    }

    private FaultPoint armedAt;
    private Fault fault;

    /** Runs {@code fault} the next time the task reaches {@code at}, once. */
    public synchronized void arm(FaultPoint at, Fault fault) {
        this.armedAt = at;
        this.fault = fault;
    }

    /** The task dies at {@code at}, as a killed process would. */
    public void crashAt(FaultPoint at) {
        arm(at, () -> {
            throw new SimulatedCrash("simulated crash at " + at);
        });
    }

    /** The connection is lost at {@code at}: a transient error the task retries. */
    public void loseConnectionAt(FaultPoint at) {
        arm(at, () -> {
            throw new SQLTransientConnectionException("simulated lost connection at " + at, "08S01", 2013);
        });
    }

    /** True while a fault is armed and has not fired yet. */
    public synchronized boolean armed() {
        return armedAt != null;
    }

    @Override
    public void at(FaultPoint point) throws SQLException {
        Fault f;
        synchronized (this) {
            if (point != armedAt) {
                return;
            }
            f = fault;
            armedAt = null;
            fault = null;
        }
        f.fire();
    }
}
