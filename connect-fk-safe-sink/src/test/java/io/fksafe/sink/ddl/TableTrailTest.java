package io.fksafe.sink.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fksafe.sink.ddl.TableTrail.Step;
import io.fksafe.sink.metadata.TableId;

/** How a table's older rows are followed through later statements: the cases the replay tests do not reach. */
class TableTrailTest {

    private static final TableId T = new TableId("shop", "t");

    private static TableTrail follow(List<String> columns, String... statements) {
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < statements.length; i++) {
            JournalEntry e = new JournalEntry(
                    "topic",
                    0,
                    10 + i,
                    null,
                    "shop",
                    statements[i],
                    "shop",
                    statements[i],
                    true,
                    List.of(),
                    JournalEntry.DONE,
                    "applied");
            steps.add(new Step(e, DdlParser.parse(statements[i], "shop")));
        }
        return TableTrail.follow(steps, T, columns);
    }

    private static Map<String, String> map(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void columnsSwappedInOneAlter_areReadAgainstTheTableBeforeIt() {
        TableTrail t = follow(List.of("id", "a", "b"), "ALTER TABLE t CHANGE a b INT, CHANGE b a INT");
        assertEquals(map("id", "id", "a", "b", "b", "a"), t.names);
    }

    @Test
    void renamesChainAcrossStatements_andADroppedNameAddedAgainIsANewColumn() {
        TableTrail t = follow(
                List.of("id", "a", "c"),
                "ALTER TABLE t RENAME COLUMN a TO b",
                "ALTER TABLE t CHANGE COLUMN b d INT",
                "ALTER TABLE t DROP COLUMN c",
                "ALTER TABLE t ADD COLUMN c INT");
        assertEquals(map("id", "id", "a", "d", "c", null), t.names);
    }

    @Test
    void tableSwapByRenames_isFollowedLeftToRight() {
        TableTrail t = follow(List.of("id"), "RENAME TABLE t TO tmp, u TO t, tmp TO u");
        assertEquals(new TableId("shop", "u"), t.table);
        assertEquals(
                new TableId("shop", "t2"),
                follow(List.of("id"), "ALTER TABLE `shop`.t RENAME TO t2, ADD COLUMN x INT").table);
    }

    @Test
    void droppedOrReplacedTables_stayDropped_evenWhenCreatedAgain() {
        assertNotNull(follow(List.of("id"), "DROP TABLE IF EXISTS t", "CREATE TABLE t (id INT PRIMARY KEY)").droppedBy);
        assertNotNull(follow(List.of("id"), "CREATE OR REPLACE TABLE t (id INT PRIMARY KEY)").droppedBy);
        assertNotNull(follow(List.of("id"), "DROP DATABASE shop").droppedBy);
        assertNull(
                follow(List.of("id"), "DROP TABLE other, shop2.t", "CREATE TABLE IF NOT EXISTS t (id INT PRIMARY KEY)")
                        .droppedBy);
    }

    @Test
    void keyChanges_andStatementsNamingTheTableThatCannotBeRead_areNoted() {
        assertNotNull(follow(List.of("id"), "ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (id, x)").keyChangedBy);
        assertNull(follow(List.of("id"), "ALTER TABLE t ADD INDEX ix (id)").keyChangedBy);
        assertNotNull(follow(List.of("id"), "FROBNICATE t").unreadable);
        assertNull(follow(List.of("id"), "FROBNICATE other").unreadable);
    }
}
