package io.fksafe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fksafe.stack.ConnectRest;
import io.fksafe.stack.ConnectorConfig;
import io.fksafe.stack.Db;
import io.fksafe.stack.LatencyProxy;
import io.fksafe.stack.Pipeline;
import io.fksafe.stack.SqlScript;
import io.fksafe.stack.Verify;

/**
 * The sink's target behind a TCP proxy that the test cuts halfway through a backlog drain: every connection dropped,
 * new ones refused for a few seconds. The sink runs under Kafka's own WorkerSinkTask, which carries out the task's
 * seek back and pause, with its defaults (pipelined apply) and synchronously. Afterwards the target equals the source
 * (counts, checksums, no FK orphans) and BEFORE triggers show every row written exactly once.
 */
class TargetCutIT {

    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final int TRANSACTIONS = 3000;

    @ParameterizedTest(name = "apply.pipelined={0}")
    @ValueSource(booleans = {true, false})
    void targetCutMidDrain_theTaskSeeksBack_targetEqualsSource_eachRowWrittenOnce(boolean pipelined) throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start("targetcut");
                LatencyProxy proxy = new LatencyProxy(stack.target().port(), 0)) {
            Pipeline pipeline = new Pipeline(stack);
            ConnectorConfig sink = pipeline.sink()
                    .with(Map.of(
                            "connection.url",
                            "jdbc:mariadb://127.0.0.1:" + proxy.port() + "/",
                            "retry.backoff.ms",
                            "500",
                            "apply.pipelined",
                            String.valueOf(pipelined)));
            ConnectRest rest = stack.connect();
            pipeline.createTopic();
            pipeline.deploy(pipeline.source(), WAIT);
            pipeline.deploy(sink, WAIT);
            try {
                schemaWithAudit(stack, pipeline);

                rest.stop(sink.name()); // a backlog builds up while the sink is stopped
                rest.awaitStopped(sink.name(), WAIT);
                writeBacklog(stack.source());
                long end = pipeline.awaitCaptured(WAIT);
                long before = pipeline.sinkCheckpoint();
                rest.resume(sink.name());

                long cutAt = pipeline.awaitCheckpointPast(before + (end - before) / 4, WAIT);
                proxy.cut(Duration.ofSeconds(4));
                assertTrue(cutAt < end, "cut mid-drain: checkpoint " + cutAt + " of " + end);
                pipeline.awaitSynced(WAIT);

                List<Verify.Row> rows = Verify.compare(stack.source(), stack.target(), "cut", Set.of());
                Verify.print(rows, System.out);
                assertTrue(rows.stream().allMatch(Verify.Row::ok), "source == target, no orphans: " + rows);
                int updates = TRANSACTIONS / 5;
                int deletes = TRANSACTIONS / 7;
                assertEquals(
                        "BD=" + deletes + " BI=" + (3 * TRANSACTIONS + updates) + " BU=" + updates,
                        writes(stack.target()),
                        "each insert, update (an upsert: BI+BU) and delete written once");
            } finally {
                rest.delete(sink.name());
                rest.delete(pipeline.source().name());
            }
        }
    }

    /** Database {@code cut} through the topic (DDL is replicated), and triggers on the target logging each write. */
    private static void schemaWithAudit(EmbeddedStack stack, Pipeline pipeline) throws Exception {
        stack.target()
                .exec(
                        "CREATE DATABASE audit",
                        "CREATE TABLE audit.writes (seq BIGINT AUTO_INCREMENT PRIMARY KEY, op VARCHAR(8), id BIGINT)");
        pipeline.runOnSource(new SqlScript(
                "cut",
                List.of(
                        "CREATE DATABASE cut",
                        "CREATE TABLE cut.parent (id BIGINT PRIMARY KEY, n INT NOT NULL)",
                        "CREATE TABLE cut.child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL, "
                                + "FOREIGN KEY (parent_id) REFERENCES cut.parent(id) ON DELETE CASCADE)")));
        pipeline.awaitSynced(WAIT);
        for (String t : List.of("parent", "child")) {
            for (String op : List.of("INSERT", "UPDATE", "DELETE")) {
                String row = op.equals("DELETE") ? "OLD" : "NEW";
                stack.target()
                        .exec("CREATE TRIGGER cut.audit_" + t + "_" + op.toLowerCase() + " BEFORE " + op + " ON cut."
                                + t + " FOR EACH ROW INSERT INTO audit.writes (op, id) VALUES ('B" + op.charAt(0)
                                + "', " + row + ".id)");
            }
        }
    }

    /** Parents with two children each; every 5th transaction also updates a parent, every 7th deletes one (cascade). */
    private static void writeBacklog(Db source) {
        List<String> sql = new ArrayList<>();
        for (int p = 1; p <= TRANSACTIONS; p++) {
            sql.add("BEGIN");
            sql.add("INSERT INTO cut.parent VALUES (" + p + ", 0)");
            sql.add("INSERT INTO cut.child VALUES (" + (p * 10 + 1) + ", " + p + "), (" + (p * 10 + 2) + ", " + p
                    + ")");
            sql.add("COMMIT");
            if (p % 5 == 0) {
                sql.add("UPDATE cut.parent SET n = n + 1 WHERE id = " + (p - 1));
            }
            if (p % 7 == 0) {
                sql.add("DELETE FROM cut.parent WHERE id = " + (p - 2));
            }
            if (sql.size() > 400) {
                source.run(sql);
                sql.clear();
            }
        }
        source.run(sql);
    }

    /** The sink's row writes by trigger, e.g. {@code BD=3 BI=40 BU=20}. */
    private static String writes(Db target) {
        StringBuilder b = new StringBuilder();
        for (List<String> r : target.query("SELECT op, COUNT(*) FROM audit.writes GROUP BY op ORDER BY op")) {
            b.append(b.length() == 0 ? "" : " ").append(r.get(0)).append('=').append(r.get(1));
        }
        return b.toString();
    }
}
