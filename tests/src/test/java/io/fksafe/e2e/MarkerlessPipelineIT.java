package io.fksafe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fksafe.stack.ConnectRest;
import io.fksafe.stack.ConnectorConfig;
import io.fksafe.stack.Db;
import io.fksafe.stack.Pipeline;
import io.fksafe.stack.SqlScript;
import io.fksafe.stack.Verify;

/**
 * Issue 9 end to end: Debezium MariaDB with {@code provide.transaction.metadata=false} (no BEGIN/END in the topic), a
 * worker committing offsets every second, and source transactions of a few thousand rows — parents, children, SET NULL
 * grandchildren, updates, a re-key and cascading deletes — which reach the caught-up sink across many polls, empty
 * ones between them. The sink closes an open transaction at the first empty poll ({@code transaction.idle.ms=0}), so
 * every pause inside a transaction splits it. The rest of each split transaction used to be dropped as a "repeat";
 * now the target must equal the source and the task must keep running.
 */
class MarkerlessPipelineIT {

    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final int PARENTS = 800;

    @Test
    void noTransactionMetadata_largeCascadingTransactions_targetEqualsSource_taskRunning() throws Exception {
        try (EmbeddedStack stack = EmbeddedStack.start("markerless")) {
            Pipeline pipeline = new Pipeline(stack);
            ConnectorConfig source = pipeline.source().with(Map.of("provide.transaction.metadata", "false"));
            ConnectorConfig sink = pipeline.sink().with(Map.of("transaction.idle.ms", "0"));
            try {
                pipeline.createTopic();
                pipeline.deploy(source, WAIT);
                pipeline.deploy(sink, WAIT);
                pipeline.runOnSource(
                        new SqlScript(
                                "shop",
                                List.of(
                                        "CREATE DATABASE shop",
                                        "USE shop",
                                        "CREATE TABLE parent (id BIGINT PRIMARY KEY, note VARCHAR(40) NOT NULL)",
                                        "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL, note VARCHAR(40), "
                                                + "FOREIGN KEY (parent_id) REFERENCES parent(id) ON UPDATE CASCADE ON DELETE CASCADE)",
                                        "CREATE TABLE grandchild (id BIGINT PRIMARY KEY, child_id BIGINT NULL, note VARCHAR(40), "
                                                + "FOREIGN KEY (child_id) REFERENCES child(id) ON UPDATE CASCADE ON DELETE SET NULL)")));
                pipeline.awaitSynced(WAIT);

                long started = System.nanoTime();
                Db src = stack.source();
                for (int round = 0; round < 4; round++) {
                    long base = round * 100_000L;
                    // 4,000 rows: one parent, two children, two grandchildren per parent
                    src.exec(
                            "USE shop",
                            "START TRANSACTION",
                            "INSERT INTO shop.parent SELECT " + base + " + seq, CONCAT('p', seq) FROM seq_1_to_"
                                    + PARENTS,
                            "INSERT INTO shop.child SELECT " + base + " + p.seq * 10 + k2.k, " + base + " + p.seq, 'c' "
                                    + "FROM seq_1_to_" + PARENTS + " p JOIN (SELECT seq AS k FROM seq_1_to_2) k2",
                            "INSERT INTO shop.grandchild SELECT " + base + " + p.seq * 100 + k2.k, " + base
                                    + " + p.seq * 10 + k2.k, 'g' FROM seq_1_to_" + PARENTS
                                    + " p JOIN (SELECT seq AS k FROM seq_1_to_2) k2",
                            "COMMIT");
                    src.exec(
                            "USE shop",
                            "START TRANSACTION",
                            "UPDATE shop.child SET note = CONCAT('u', id) WHERE parent_id BETWEEN " + base + " AND "
                                    + (base + 99_999),
                            "UPDATE shop.parent SET id = id + 50000 WHERE id BETWEEN " + base + " + 1 AND " + base
                                    + " + 50",
                            "DELETE FROM shop.parent WHERE id BETWEEN " + base + " + 51 AND " + base + " + 250",
                            "INSERT INTO shop.parent VALUES (" + base + " + 99999, 'late')",
                            "COMMIT");
                }
                pipeline.awaitSynced(WAIT);
                System.out.printf(
                        "markerless pipeline: %d source transactions applied in %.1f s%n",
                        8, (System.nanoTime() - started) / 1e9);

                ConnectRest rest = stack.connect();
                assertNull(ConnectRest.failure(rest.status(sink.name())), "the sink task keeps running");
                List<Verify.Row> rows = Verify.compare(stack.source(), stack.target(), "shop", Set.of());
                Verify.print(rows, System.out);
                assertTrue(rows.stream().allMatch(Verify.Row::ok), "source == target: " + rows);
                assertEquals(
                        stack.source().query("SELECT COUNT(*) FROM shop.grandchild WHERE child_id IS NULL"),
                        stack.target().query("SELECT COUNT(*) FROM shop.grandchild WHERE child_id IS NULL"),
                        "grandchildren nulled by the cascading deletes");
                List<String> counts = new ArrayList<>();
                for (String t : List.of("parent", "child", "grandchild")) {
                    counts.add(t + "="
                            + stack.target()
                                    .query("SELECT COUNT(*) FROM shop." + t)
                                    .get(0)
                                    .get(0));
                }
                System.out.println("markerless pipeline target rows: " + counts);
            } finally {
                pipeline.close();
            }
        }
    }
}
