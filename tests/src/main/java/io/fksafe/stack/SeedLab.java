package io.fksafe.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The DM safe-mode lab (docs/lab.md) end to end on a running pipeline: the lab's schema and baseline (step 5), the
 * sink in forced safe mode (step 7's {@code safe-mode: on}), the three UPDATEs (step 9), the step-11 grandchild and a
 * repeat of step 9, then a recovery replay of the whole topic from offset 0 through the REST offsets API with the sink
 * back in its normal mode. After each step the lab's check query runs on source and target, printed side by side.
 */
public final class SeedLab {

    static final SqlScript SCHEMA = SqlScript.resource("/lab/fk_lab.sql");
    static final SqlScript DML = SqlScript.resource("/lab/fk_lab_source_dml.sql");
    static final SqlScript STEP11 = SqlScript.resource("/lab/fk_lab_step11.sql");
    static final SqlScript CHECK = SqlScript.resource("/lab/fk_lab_check.sql");

    private static final Duration WAIT = Duration.ofMinutes(3);

    private final Stack stack;
    private final Pipeline pipeline;
    private final PrintStream out;
    private final List<String> mismatches = new ArrayList<>();
    private boolean grandchild;

    public SeedLab(Stack stack, Pipeline pipeline, PrintStream out) {
        this.stack = stack;
        this.pipeline = pipeline;
        this.out = out;
    }

    /** Runs the lab; true when source and target matched after every step and {@link Verify} passes at the end. */
    public boolean run() throws IOException, InterruptedException {
        ConnectRest rest = stack.connect();
        String sink = pipeline.sink().name();
        pipeline.awaitSynced(WAIT); // the pipeline streams, and whatever an earlier run left in the topic is applied

        title("Step 7: the sink in forced safe mode (safe.mode=always), FK checks on in the target");
        pipeline.deploy(pipeline.sink().with(Map.of("safe.mode", "always")), WAIT);
        out.println("  " + sink + ": " + rest.describe(sink) + ", safe.mode="
                + rest.config(sink).path("safe.mode").asText());
        if (pipeline.targetSchemaFromSource()) {
            out.println(
                    "  (DDL replication is not on yet: each script's schema statements also run on the target, before the source)");
        }

        title("Step 5: fk_lab.sql on the source (schema and baseline rows)");
        pipeline.runOnSource(SCHEMA);
        pipeline.awaitSynced(WAIT);
        check("Step 8: baseline, downstream == upstream", false);

        title("Step 9: fk_lab_source_dml.sql on the source (the three parent UPDATEs)");
        stack.source().run(DML.statements());
        pipeline.awaitSynced(WAIT);
        check("After step 9 with forced safe mode: children kept, no SET NULL drift, no 1451", false);
        expectLabCounts();

        title("Step 11: a grandchild under child_cascade, then step 9 again");
        pipeline.runOnSource(STEP11);
        grandchild = true;
        stack.source().run(DML.statements());
        pipeline.awaitSynced(WAIT);
        check("After step 11: no multi-level cascade", true);

        title("Recovery: replay the whole topic from offset 0 through the REST API, sink in its normal mode");
        long before = pipeline.sinkCheckpoint();
        out.printf("  PUT    /connectors/%s/stop%n", sink);
        rest.stop(sink);
        rest.awaitStopped(sink, WAIT);
        out.printf(
                "  PUT    /connectors/%s/config         (safe.mode=%s again)%n",
                sink, pipeline.sink().get("safe.mode"));
        rest.putConfig(sink, pipeline.sink().config());
        out.printf("  DELETE /connectors/%s/offsets        (the sink's checkpoint was at offset %d)%n", sink, before);
        rest.resetOffsets(sink);
        long after = pipeline.sinkCheckpoint();
        out.printf(
                "         the sink's checkpoint in the target moved with it: %s%n",
                after < 0 ? "none (start from the topic's beginning)" : "offset " + after);
        if (after >= before) {
            mismatches.add("the offset reset did not move the sink's checkpoint (" + before + " -> " + after + ")");
        }
        out.printf(
                "  PUT    /connectors/%s/resume         (offsets 0..%d replay in safe mode: the replay window)%n",
                sink, before - 1);
        rest.resume(sink);
        rest.awaitRunning(sink, WAIT);
        pipeline.awaitCaughtUp(WAIT);
        out.printf("  replayed to offset %d%n", pipeline.sinkCheckpoint());
        check("After the replay from offset 0", true);

        title("verify fk_lab: row counts, checksums, FK orphans");
        boolean verified = Verify.print(Verify.compare(stack.source(), stack.target(), "fk_lab", Set.of()), out);
        if (!verified) {
            mismatches.add("verify fk_lab");
        }
        title(
                mismatches.isEmpty()
                        ? "VERDICT: source == target after every step (forced safe mode, step 11, replay from offset 0)"
                        : "VERDICT: DIVERGED at " + String.join("; ", mismatches));
        return mismatches.isEmpty();
    }

    /** The lab's step-10 integrity expectations on the target: casc 2, rest 1, null 2, NULL bucket 0. */
    private void expectLabCounts() {
        List<String> got = stack.target()
                .query("SELECT "
                        + "(SELECT COUNT(*) FROM fk_lab.child_cascade WHERE parent_id=1), "
                        + "(SELECT COUNT(*) FROM fk_lab.child_restrict WHERE parent_id=1), "
                        + "(SELECT COUNT(*) FROM fk_lab.child_setnull WHERE parent_id=1), "
                        + "(SELECT COUNT(*) FROM fk_lab.child_setnull WHERE parent_id IS NULL)")
                .get(0);
        boolean ok = got.equals(List.of("2", "1", "2", "0"));
        out.printf(
                "  target: casc_ok=%s rest_ok=%s null_ok1=%s null_ok0=%s  (the lab expects 2 1 2 0: %s)%n",
                got.get(0), got.get(1), got.get(2), got.get(3), ok ? "ok" : "NOT MET");
        if (!ok) {
            mismatches.add("step 10 counts on the target");
        }
    }

    /** The lab's check query on both sides, side by side; VERSION() is shown but not compared. */
    private void check(String title, boolean full) {
        List<String> statements = new ArrayList<>();
        for (String s : CHECK.statements()) {
            if (!grandchild && s.contains("grandchild")) {
                continue;
            }
            if (!full && s.contains("WHERE parent_id") && !s.contains("COUNTS_BY_PARENT")) {
                continue; // the per-parent row listings only in the full check
            }
            statements.add(s);
        }
        List<Db.Result> src = stack.source().results(statements);
        List<Db.Result> tgt = stack.target().results(statements);
        List<String> left = new ArrayList<>();
        List<String> right = new ArrayList<>();
        boolean same = src.size() == tgt.size();
        for (int i = 0; i < Math.max(src.size(), tgt.size()); i++) {
            List<String> l = i < src.size() ? TextTable.draw(src.get(i)) : List.of();
            List<String> r = i < tgt.size() ? TextTable.draw(tgt.get(i)) : List.of();
            if (i > 0) { // result 0 is VERSION()
                same &= l.equals(r);
            }
            left.addAll(l);
            right.addAll(r);
            for (int pad = l.size(); pad < r.size(); pad++) {
                left.add("");
            }
            for (int pad = r.size(); pad < l.size(); pad++) {
                right.add("");
            }
        }
        out.println();
        out.println("== " + title);
        TextTable.sideBySide(
                        "source " + stack.source().host() + ":" + stack.source().port(),
                        left,
                        "target " + stack.target().host() + ":" + stack.target().port(),
                        right)
                .forEach(out::println);
        out.println("  => " + (same ? "source == target" : "DIFFERENT"));
        if (!same) {
            mismatches.add(title);
        }
    }

    private void title(String t) {
        out.println();
        out.println("### " + t);
    }
}
