package io.fksafe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.fksafe.stack.ConnectRest;
import io.fksafe.stack.Db;
import io.fksafe.stack.Pipeline;
import io.fksafe.stack.SqlScript;

/**
 * The sink's and the transform's metrics as an operator reads them: over JMX from the running worker (the
 * EmbeddedConnectCluster's worker registers its metrics in this JVM's platform MBean server, under Connect's own
 * {@code kafka.connect:type=plugins,connector=…,task=…} names), never through the task object.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsIT {

    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
    private static EmbeddedStack stack;
    private static Pipeline pipeline;
    private static ConnectRest rest;
    private static String sink;

    @BeforeAll
    static void up() throws Exception {
        stack = EmbeddedStack.start("metrics");
        pipeline = new Pipeline(stack);
        pipeline.deploy(WAIT);
        rest = stack.connect();
        sink = pipeline.sink().name();
        pipeline.runOnSource(new SqlScript(
                "m",
                List.of(
                        "CREATE DATABASE m",
                        "USE m",
                        "CREATE TABLE parent (id BIGINT PRIMARY KEY, note VARCHAR(20) NOT NULL)",
                        "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL, "
                                + "FOREIGN KEY (parent_id) REFERENCES parent(id) ON DELETE CASCADE)")));
        pipeline.awaitSynced(WAIT);
    }

    @AfterAll
    static void down() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void afterAKnownWorkload_theCountersEqualWhatWasApplied() throws Exception {
        double records = sinkMetric("records-applied-total");
        double transactions = sinkMetric("transactions-applied-total");
        double inserts = smtMetric("smt-insert-total") + smtMetric("smt-update-total");
        Db src = stack.source();
        for (int p = 1; p <= 20; p++) {
            List<String> tx = new ArrayList<>(List.of("BEGIN", "INSERT INTO m.parent VALUES (" + p + ", 'p')"));
            for (int c = 1; c <= 4; c++) {
                tx.add("INSERT INTO m.child VALUES (" + (p * 10 + c) + ", " + p + ")");
            }
            tx.add("COMMIT");
            src.run(tx);
        }
        pipeline.awaitSynced(WAIT); // adds one change of its own: the heartbeat row, in a transaction of its own

        assertEquals(records + 100 + 1, sinkMetric("records-applied-total"), "100 rows and the heartbeat row");
        assertEquals(
                transactions + 20 + 1,
                sinkMetric("transactions-applied-total"),
                "20 source transactions and the heartbeat's");
        assertEquals(
                inserts + 100 + 1,
                smtMetric("smt-insert-total") + smtMetric("smt-update-total"),
                "the transform emitted every row change once");
        assertTrue(sinkMetric("target-commits-total") >= 1);
        assertEquals(
                (double) pipeline.sinkCheckpoint(),
                sinkMetric("checkpoint-offset"),
                "the gauge shows the target's checkpoint");
        assertEquals(0.0, sinkMetric("buffered-rows"));
        double lag = sinkMetric("replication-lag-ms");
        assertTrue(lag >= 0 && lag < 60_000, "a caught-up pipeline's lag is small: " + lag);
        assertEquals(
                0.0,
                sinkMetric("safe-mode-resolutions-total", "kind", "skipped-child-of-deleted-cascade-parent"),
                "nothing to resolve outside a replay");
    }

    @Test
    @Order(2)
    void whileTheSinkIsPausedAndTheSourceWrites_lagRises_andFallsBackAfterResume() throws Exception {
        rest.pause(sink);
        TimeUnit.SECONDS.sleep(1);
        long pausedAt = System.currentTimeMillis();
        Db src = stack.source();
        for (int i = 0; i < 5; i++) {
            src.exec("UPDATE m.parent SET note = 'paused" + i + "' WHERE id = 1");
            TimeUnit.SECONDS.sleep(1);
        }
        double agePaused = sinkMetric("checkpoint-age-ms");
        assertTrue(
                agePaused >= System.currentTimeMillis() - pausedAt, "the checkpoint ages while paused: " + agePaused);

        rest.resume(sink);
        rest.awaitRunning(sink, WAIT);
        pipeline.awaitSynced(WAIT);
        assertTrue(
                sinkMetric("replication-lag-max-ms") >= 3_000,
                "the first update made while paused reached the target seconds late: "
                        + sinkMetric("replication-lag-max-ms"));
        double ageAfter = sinkMetric("checkpoint-age-ms");
        assertTrue(ageAfter < agePaused, "caught up again: checkpoint age " + ageAfter + " < " + agePaused);
        assertTrue(sinkMetric("replication-lag-ms") < sinkMetric("replication-lag-max-ms"), "the latest lag fell back");
    }

    @Test
    @Order(3)
    void aReplayFromTheMiddle_countsTheResolutionsItMade() throws Exception {
        Db src = stack.source();
        src.exec("INSERT INTO m.parent VALUES (900, 'doomed')");
        pipeline.awaitSynced(WAIT);
        long childTx = pipeline.endOffset(); // the next transaction in the topic inserts the children
        src.run(List.of(
                "BEGIN", "INSERT INTO m.child VALUES (9001, 900)", "INSERT INTO m.child VALUES (9002, 900)", "COMMIT"));
        src.exec("DELETE FROM m.parent WHERE id = 900"); // the source cascades; the binlog holds only this row
        pipeline.awaitSynced(WAIT);

        rest.stop(sink);
        rest.awaitStopped(sink, WAIT);
        rest.alterSinkOffset(sink, pipeline.topic(), 0, childTx);
        rest.resume(sink);
        rest.awaitRunning(sink, WAIT);
        pipeline.awaitSynced(WAIT);

        assertEquals(
                2.0,
                sinkMetric("safe-mode-resolutions-total", "kind", "skipped-child-of-deleted-cascade-parent"),
                "the two replayed children of the parent deleted later were skipped, and counted");
        assertEquals(0.0, sinkMetric("replay-window-open"), "the window closed behind the replay");
        assertEquals(List.of(), stack.target().query("SELECT * FROM m.child WHERE parent_id = 900"));
    }

    /** A metric of this connector's task 0, from the MBean that has it (tagged ones by their tag). */
    private static double sinkMetric(String name) throws Exception {
        return metric(name, Map.of("task", "0"));
    }

    private static double sinkMetric(String name, String tag, String value) throws Exception {
        return metric(name, Map.of("task", "0", tag, value));
    }

    private static double smtMetric(String name) throws Exception {
        return metric(name, Map.of("task", "0"));
    }

    private static double metric(String name, Map<String, String> props) throws Exception {
        List<String> seen = new ArrayList<>();
        for (ObjectName n :
                JMX.queryNames(new ObjectName("kafka.connect:type=plugins,connector=" + sink + ",*"), null)) {
            seen.add(n.toString());
            if (props.entrySet().stream().allMatch(e -> e.getValue().equals(n.getKeyProperty(e.getKey())))) {
                try {
                    return ((Number) JMX.getAttribute(n, name)).doubleValue();
                } catch (javax.management.AttributeNotFoundException e) {
                    // another MBean of the same task
                }
            }
        }
        throw new AssertionError("no JMX attribute " + name + " with " + props + " among " + seen);
    }
}
