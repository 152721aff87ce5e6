package io.fksafe.sink.fk;

import java.util.Map;
import java.util.TreeMap;

import io.fksafe.sink.apply.ApplyStats;
import io.fksafe.sink.testing.TaskRunner;

/**
 * The sink task of one run of {@link PackingDifferentialTest}, which a delivery may crash and restart: the task is
 * stopped without a last offset commit (its buffers are lost), and a new one opens the same partition, reads the
 * target's checkpoint and asks to resume there. Figures add up over every task of the run.
 */
final class RunningTask implements AutoCloseable {

    private final Map<String, String> props;
    private TaskRunner current;
    private long statements;
    private long splits;
    private long droppedByPosition;
    private int restarts;
    private final Map<String, Long> resolutions = new TreeMap<>();

    RunningTask(Map<String, String> props) {
        this.props = props;
        this.current = new TaskRunner(props);
    }

    TaskRunner task() {
        return current;
    }

    /** Stops the task as a crash would, starts a new one; returns the offset it resumes at (0 without checkpoint). */
    long crashAndRestart() {
        add(current.task.stats());
        restarts++;
        current.task.stop();
        current = new TaskRunner(props);
        Long at = current.seekedTo();
        return at == null ? 0 : at;
    }

    int restarts() {
        return restarts;
    }

    long statements() {
        return statements + current.task.stats().statements();
    }

    long splits() {
        return splits + current.task.stats().splitTransactions();
    }

    /** Rows dropped as already applied by their source position: none may be, in a stream without repeats. */
    long droppedByPosition() {
        return droppedByPosition + current.task.stats().skippedDuplicatePositions();
    }

    /** Safe-mode resolutions of every kind that happened, with their counts. */
    Map<String, Long> resolutions() {
        Map<String, Long> all = new TreeMap<>(resolutions);
        current.task.stats().resolutions().forEach((k, n) -> all.merge(k, n, Long::sum));
        all.values().removeIf(n -> n == 0);
        return all;
    }

    private void add(ApplyStats stats) {
        statements += stats.statements();
        splits += stats.splitTransactions();
        droppedByPosition += stats.skippedDuplicatePositions();
        stats.resolutions().forEach((k, n) -> resolutions.merge(k, n, Long::sum));
    }

    @Override
    public void close() {
        current.close();
    }
}
