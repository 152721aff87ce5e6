package io.fksafe.sink.replay;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.PARENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fksafe.sink.FkSafeSinkConnector;
import io.fksafe.sink.target.FaultPoint;
import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.FaultProxy;
import io.fksafe.sink.testing.LabSchema;
import io.fksafe.sink.testing.TableDef;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * The figure an operator reads when a replay window closes, "N records applied in safe mode", counts the rows that
 * were applied in safe mode: not a row sent to the dead-letter queue, and not a row twice because its put failed and
 * the worker delivered it again.
 */
class ReplayWindowCountTest {

    /** A source table the target does not have: its row goes to the dead-letter queue. */
    private static final TableDef GHOST = TableDef.of("src", "ghost").key("id", Schema.INT64_SCHEMA);

    private static final Pattern CLOSED =
            Pattern.compile("replay window closed at offset (\\d+): (\\d+) records applied in safe mode");

    private final TestDatabase db = TestDatabase.get();

    /** Three rows to apply and one without a table, in four transactions with markers (offsets 0..11). */
    private static ChangeStream stream() {
        return new ChangeStream()
                .txWithMarkers(PARENT.insert(1L, "p1"))
                .txWithMarkers(GHOST.insert(7L))
                .txWithMarkers(CHILD_CASCADE.insert(11L, 1L, "a"))
                .txWithMarkers(PARENT.update(1L, "p1b"));
    }

    /** Each failure makes the task seek back to its checkpoint; the records from there close the window. */
    @ParameterizedTest(name = "apply.pipelined={0}")
    @ValueSource(booleans = {true, false})
    void windowClosed_countsTheRowsAppliedInSafeMode_notDeadLettersNorRedeliveries(boolean pipelined) throws Exception {
        String target = db.newDatabase("replaycount");
        LabSchema.create(db, target);
        Map<String, String> props = TaskRunner.props(
                "replaycount-" + target,
                "table.mapping",
                "src.*=" + target + ".*",
                "retry.backoff.ms",
                "10",
                "apply.pipelined",
                String.valueOf(pipelined));
        List<SinkRecord> all = stream().all();
        try (TaskRunner first = new TaskRunner(props, true)) {
            first.deliver(all);
            assertEquals(1, first.context.deadLetters.size());
        }
        new FkSafeSinkConnector().alterOffsets(props, Map.of(TaskRunner.TP, 0L)); // replay window: offsets 0..11

        String log;
        try (FaultProxy proxy = new FaultProxy(db.port())) {
            props.put("connection.url", proxy.url());
            log = capturingStandardError(() -> {
                try (TaskRunner replay = new TaskRunner(props, true)) {
                    // two failures, each sought back from: the first COMMIT (reading the DDL journal for the first
                    // row of the window) never arrives, then the connection is lost before the rows' COMMIT
                    proxy.cutWhenClientSends("COMMIT", false);
                    replay.faults.loseConnectionAt(FaultPoint.BEFORE_COMMIT);
                    replay.feed(all, 500);
                    assertEquals(1, proxy.faultsFired(), "the COMMIT was cut");
                    assertTrue(!replay.faults.armed(), "the connection was lost before the rows' COMMIT");
                    assertEquals(
                            all.size(),
                            replay.preCommit(all.size()).get(TaskRunner.TP).offset());
                }
            });
        }
        Matcher m = CLOSED.matcher(log);
        assertTrue(m.find(), "the window closed: " + log);
        assertEquals(all.size(), Long.parseLong(m.group(1)));
        assertEquals(
                3,
                Long.parseLong(m.group(2)),
                "three rows applied in safe mode, the ghost row dead-lettered: " + m.group());
    }

    /** Runs {@code body} with standard error (slf4j-simple's output) copied into the returned text. */
    private static String capturingStandardError(ThrowingRunnable body) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        System.setErr(new PrintStream(
                new OutputStream() {
                    @Override
                    public void write(int b) {
                        original.write(b);
                        synchronized (copy) {
                            copy.write(b);
                        }
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        original.write(b, off, len);
                        synchronized (copy) {
                            copy.write(b, off, len);
                        }
                    }
                },
                true,
                StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(original);
        }
        synchronized (copy) {
            return copy.toString(StandardCharsets.UTF_8);
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
