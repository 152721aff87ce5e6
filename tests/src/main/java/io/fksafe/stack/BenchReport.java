package io.fksafe.stack;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The bench's table and its machine-readable {@code BENCH} line. */
final class BenchReport {

    private BenchReport() {}

    /** One line of the table. */
    record Line(String name, String what, long events, BenchDrain.Measured m, boolean correct) {
        double rate() {
            return m.failure() == null && m.seconds() > 0 ? events / m.seconds() : 0;
        }

        /** Finished, and its target equals the source. */
        boolean ok() {
            return correct && m.failure() == null;
        }

        String heap() {
            return m.heap() == null ? "-" : m.heap().cell();
        }
    }

    /**
     * Prints the table (fksafe first, then Debezium's FK-safe and fast configurations, then the raw writer) and the
     * BENCH line; returns whether fksafe's target matched the source.
     */
    static boolean print(List<Line> lines, long rowEvents, boolean perturbed, PrintStream out) {
        Line fk = lines.get(0);
        List<List<String>> cells = new ArrayList<>();
        for (Line l : lines) {
            String ratio = l == fk || l.rate() == 0
                    ? ""
                    : l.name().equals("raw")
                            ? String.format("%.0f%% of it", 100 * fk.rate() / l.rate())
                            : String.format("%.2fx", fk.rate() / l.rate());
            cells.add(List.of(
                    l.what(),
                    l.m().failure() != null ? l.m().failure() : String.format("%,.0f", l.rate()),
                    String.format("%.1f s", l.m().seconds()),
                    String.format("%,d", l.m().counters().commits()),
                    String.format("%,d", l.m().counters().statements()),
                    l.correct() ? "yes" : "NO",
                    l.heap(),
                    ratio));
        }
        out.println();
        TextTable.draw(
                        List.of(
                                "configuration",
                                "events/s",
                                "wall",
                                "commits",
                                "statements",
                                "correct",
                                "live heap",
                                "fksafe is"),
                        cells)
                .forEach(out::println);
        out.printf(
                "(%,d row events drained from Kafka after capture finished; wall = deploy to the target's last write;"
                        + " commits/statements = the target's Com_commit and Com_insert/update/delete/replace deltas;"
                        + " live heap = the whole Connect worker's heap right after a full collection, at its peak"
                        + " during the drain; <= when none ran: an upper bound, right after a young one%s)%n",
                rowEvents,
                fk.m().heap() == null
                        ? ""
                        : ", -Xmx " + BenchHeap.mib(fk.m().heap().max()));
        if (perturbed) {
            out.println("(profiled or exact-heap run: the worker did extra work during the drains, so these rates are"
                    + " not comparable with a normal run's)");
        }
        boolean correct = fk.ok();
        out.printf(
                "BENCH fksafe=%.0f dbz_fksafe=%.0f dbz_fkoff=%.0f raw=%.0f correct=%s fksafe_heap_mib=%d"
                        + " fksafe_heap_from=%s%s%n",
                fk.rate(),
                lines.get(1).rate(),
                lines.get(2).rate(),
                lines.get(3).rate(),
                correct ? "yes" : "no",
                fk.m().heap() == null ? -1 : fk.m().heap().liveMib(),
                fk.m().heap() == null ? "none" : fk.m().heap().source(),
                perturbed ? " perturbed=yes" : "");
        return correct;
    }
}
