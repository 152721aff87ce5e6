package io.fksafe.sink.ddl;

import java.util.ArrayList;
import java.util.List;

import io.fksafe.sink.ddl.DdlStatement.Effect;

/**
 * Decides, from the catalog, whether a journaled statement ran: each effect's count now against the count recorded
 * with the intent. Never "run it again to see": a statement is run again only when none of its effects is there (or
 * when running it again cannot change anything), and marked done only when they are.
 */
final class IntentResolver {

    enum Outcome {
        /** Its effects are in the catalog: mark it done. */
        APPLIED,
        /** None of its effects is: run it. */
        NOT_APPLIED,
        /** It has no countable effect but running it again leaves the catalog as one run does: run it. */
        RERUN,
        /** The catalog cannot tell: stop and let an operator decide. */
        UNDECIDABLE
    }

    record Verdict(Outcome outcome, String detail) {}

    private IntentResolver() {}

    static Verdict decide(DdlStatement s, List<Long> before, List<Long> now) {
        if (!s.kind.changesSchema()) {
            return new Verdict(
                    Outcome.UNDECIDABLE, "the journaled statement is not one the sink runs (" + s.kind + ")");
        }
        if (s.uncheckable != null) {
            return new Verdict(Outcome.UNDECIDABLE, s.uncheckable);
        }
        if (s.effects.isEmpty()) {
            return s.rerunnable
                    ? new Verdict(Outcome.RERUN, "it only restates definitions, so running it again changes nothing")
                    : new Verdict(Outcome.UNDECIDABLE, "it changes nothing the catalog checks cover");
        }
        if (before == null || before.size() != s.effects.size() || now.size() != s.effects.size()) {
            return new Verdict(Outcome.UNDECIDABLE, "the journal holds no catalog counts from before it ran");
        }
        List<String> moved = new ArrayList<>();
        List<String> notThere = new ArrayList<>();
        for (int i = 0; i < s.effects.size(); i++) {
            Effect e = s.effects.get(i);
            long b = before.get(i);
            long n = now.get(i);
            boolean hasMoved = e.adds() ? n > b : n < b;
            boolean reached = hasMoved || !e.adds() && n == 0;
            String what = (e.adds() ? "added " : "removed ") + e.probe().describe();
            if (hasMoved) {
                moved.add(what);
            }
            if (!reached) {
                notThere.add(what);
            }
        }
        if (moved.isEmpty()) {
            return new Verdict(Outcome.NOT_APPLIED, "none of its effects is in the catalog");
        }
        if (s.atomic || notThere.isEmpty()) {
            return new Verdict(Outcome.APPLIED, "the catalog shows it ran: " + String.join(", ", moved));
        }
        return new Verdict(
                Outcome.UNDECIDABLE,
                "it ran only in part: " + String.join(", ", moved) + " happened, " + String.join(", ", notThere)
                        + " did not");
    }
}
