package io.fksafe.sink.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fksafe.sink.ddl.IntentResolver.Outcome;

/** The recovery decision from catalog counts before the statement and now, including cases a crash test cannot stage. */
class IntentResolverTest {

    private static IntentResolver.Verdict decide(String sql, List<Long> before, List<Long> now) {
        return IntentResolver.decide(DdlParser.parse(sql, "shop"), before, now);
    }

    @Test
    void atomicStatement_anyEffectSeenMeansItRan() {
        String sql = "ALTER TABLE t ADD COLUMN IF NOT EXISTS a INT, ADD INDEX ix (b)";
        assertEquals(
                Outcome.APPLIED,
                decide(sql, List.of(1L, 0L), List.of(1L, 1L)).outcome(),
                "a existed before: IF NOT EXISTS");
        assertEquals(
                Outcome.NOT_APPLIED,
                decide(sql, List.of(1L, 0L), List.of(1L, 0L)).outcome());
    }

    @Test
    void unnamedIndex_isCountedAgainstTheIndexesOnThoseColumnsBefore() {
        String sql = "ALTER TABLE t ADD INDEX (a)";
        assertEquals(
                Outcome.NOT_APPLIED,
                decide(sql, List.of(1L), List.of(1L)).outcome(),
                "a same-column index existed already");
        assertEquals(Outcome.APPLIED, decide(sql, List.of(1L), List.of(2L)).outcome());
    }

    @Test
    void multiTableDrop_mayStopHalfway_andIsThenLeftToAnOperator() {
        String sql = "DROP TABLE IF EXISTS a, b, c";
        assertEquals(
                Outcome.APPLIED,
                decide(sql, List.of(1L, 1L, 0L), List.of(0L, 0L, 0L)).outcome(),
                "c never existed");
        assertEquals(
                Outcome.NOT_APPLIED,
                decide(sql, List.of(1L, 1L, 0L), List.of(1L, 1L, 0L)).outcome());
        IntentResolver.Verdict partial = decide(sql, List.of(1L, 1L, 0L), List.of(0L, 1L, 0L));
        assertEquals(Outcome.UNDECIDABLE, partial.outcome());
        assertTrue(partial.detail().contains("removed table shop.b"), partial.detail());
    }

    @Test
    void restatementsRunAgain_uncheckableOnesAndMissingCountsGoToAnOperator() {
        assertEquals(
                Outcome.RERUN,
                decide("ALTER TABLE t MODIFY a BIGINT", List.of(), List.of()).outcome());
        assertEquals(
                Outcome.RERUN,
                decide("ALTER DATABASE shop CHARACTER SET utf8mb4", List.of(), List.of())
                        .outcome());
        assertEquals(
                Outcome.UNDECIDABLE,
                decide("ALTER TABLE t DROP PARTITION p1", List.of(), List.of()).outcome());
        assertEquals(
                Outcome.UNDECIDABLE,
                decide("RENAME TABLE a TO b, b TO a", List.of(1L, 1L, 1L, 1L), List.of(1L, 1L, 1L, 1L))
                        .outcome());
        assertEquals(
                Outcome.UNDECIDABLE,
                decide("ALTER TABLE t ADD COLUMN a INT", null, List.of(1L)).outcome());
    }
}
