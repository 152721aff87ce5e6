package io.fksafe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.connect.util.clusters.WorkerHandle;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fksafe.stack.ConnectRest;
import io.fksafe.stack.ConnectorConfig;
import io.fksafe.stack.Db;
import io.fksafe.stack.LatencyProxy;
import io.fksafe.stack.Pipeline;
import io.fksafe.stack.Verify;

/**
 * Rebalances in the middle of a stream. Capture and the sink start on one worker; while the sink is part way through
 * the backlog a second worker joins (Connect's cooperative rebalance moves one of the tasks over), and a moment later
 * the first worker leaves, so whatever ran there moves to the second one. Each move closes a running task, with
 * records taken but not yet committed, and opens it elsewhere from the target's checkpoint; Debezium moves from its
 * own offsets and may send again what it had sent. The target must equal the source.
 */
class WorkerRebalanceIT {

    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final int ROUNDS = 8;
    private static final int PARENTS = 60;

    @Test
    void workerJoinsThenTheFirstLeaves_midStream_targetEqualsSource() throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start("rebalance");
                // 20 ms to the target and 50 rows a commit: the backlog lasts longer than a worker takes to join
                LatencyProxy proxy = new LatencyProxy(stack.target().port(), 20);
                Pipeline pipeline = new Pipeline(stack)) {
            ConnectorConfig sink = pipeline.sink()
                    .with(Map.of(
                            "connection.url",
                            "jdbc:mariadb://127.0.0.1:" + proxy.port() + "/",
                            "consumer.override.max.poll.records",
                            "20",
                            "batch.max.rows",
                            "50",
                            "statement.max.rows",
                            "50"));
            pipeline.createTopic();
            pipeline.deploy(pipeline.source(), WAIT);
            pipeline.deploy(sink, WAIT);
            TimeUnit.SECONDS.sleep(3); // the source's snapshot (of nothing) done: DDL during one can be sent twice
            Db src = stack.source();
            src.run(CascadeWorkload.schema("shop"));
            pipeline.awaitCaughtUp(WAIT); // the schema applied
            stack.connect().stop(sink.name()); // a backlog builds up meanwhile
            stack.connect().awaitStopped(sink.name(), WAIT);
            for (int round = 0; round < ROUNDS; round++) {
                CascadeWorkload.round(src, "shop", round, PARENTS);
            }
            long end = pipeline.awaitCaptured(WAIT);
            stack.connect().resume(sink.name());
            stack.connect().awaitRunning(sink.name(), WAIT);
            WorkerHandle first = stack.cluster().workers().iterator().next();

            long joinedAt = pipeline.awaitCheckpointPast(end / 4, WAIT);
            WorkerHandle second = stack.cluster().addWorker();
            awaitReady(new ConnectRest(second.url().toString()));
            System.out.printf("rebalance: a second worker joined at checkpoint %d of %d%n", joinedAt, end);

            long leftAt = pipeline.awaitCheckpointPast(end / 2, WAIT);
            stack.cluster().removeWorker(first);
            System.out.printf("rebalance: the first worker left at checkpoint %d of %d%n", leftAt, end);

            ConnectRest rest = stack.connect(); // the second worker's, now the only one
            for (String name : List.of(pipeline.source().name(), sink.name())) {
                awaitRunningOn(rest, name, second);
            }
            for (int round = ROUNDS; round < ROUNDS + 2; round++) {
                CascadeWorkload.round(src, "shop", round, PARENTS); // and capture goes on from there
            }
            pipeline.awaitSynced(WAIT);

            assertNull(ConnectRest.failure(rest.status(sink.name())), "the sink task keeps running");
            List<Verify.Row> rows = Verify.compare(src, stack.target(), "shop", Set.of());
            Verify.print(rows, System.out);
            assertTrue(rows.stream().allMatch(Verify.Row::ok), "source == target: " + rows);
            assertEquals(
                    CascadeWorkload.nulledGrandchildren(src, "shop"),
                    CascadeWorkload.nulledGrandchildren(stack.target(), "shop"),
                    "grandchildren nulled by the cascading deletes");
        }
    }

    private static void awaitReady(ConnectRest rest) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!rest.ready()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the second worker did not join within " + WAIT);
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /** Waits until the connector's tasks run, all on {@code worker} (a status can lag behind a move). */
    private static void awaitRunningOn(ConnectRest rest, String name, WorkerHandle worker) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            rest.awaitRunning(name, WAIT);
            Set<Integer> ports = workerPorts(rest, name);
            if (ports.equals(Set.of(worker.url().getPort()))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(name + " does not run on the worker that is left (REST port "
                        + worker.url().getPort() + ") but on " + ports);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** The REST ports of the workers the connector's tasks run on (a worker's id is its REST host and port). */
    private static Set<Integer> workerPorts(ConnectRest rest, String name) throws IOException {
        Set<Integer> ports = new HashSet<>();
        for (JsonNode t : rest.status(name).path("tasks")) {
            String id = t.path("worker_id").asText();
            ports.add(Integer.parseInt(id.substring(id.lastIndexOf(':') + 1)));
        }
        return ports;
    }
}
