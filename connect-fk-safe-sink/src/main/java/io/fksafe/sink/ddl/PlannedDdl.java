package io.fksafe.sink.ddl;

import java.util.ArrayList;
import java.util.List;

import io.fksafe.sink.config.TableMapping;
import io.fksafe.sink.ddl.DdlPolicy.Action;
import io.fksafe.sink.ddl.DdlPolicy.Decision;
import io.fksafe.sink.dialect.Dialect;

/**
 * A source statement turned into the one the target runs: mapped to the target's databases, made CREATE ... IF NOT
 * EXISTS for the snapshot, translated for the target's dialect, and parsed again so its effects name target objects.
 * {@code statement} is null when nothing is left to run; {@code notes} say what was changed or why nothing runs.
 */
record PlannedDdl(DdlStatement statement, String contextDatabase, List<String> notes) {

    static PlannedDdl plan(
            DdlStatement source, boolean snapshot, TableMapping mapping, DdlPolicy policy, Dialect target) {
        DdlMapper.Mapped mapped = DdlMapper.map(source, mapping, snapshot);
        DdlStatement onTarget = DdlParser.parse(mapped.sql(), mapped.contextDatabase());
        Decision d = policy.protectedSchema(onTarget);
        if (d.action() != Action.RUN) {
            return new PlannedDdl(
                    null, null, List.of("not applied (" + d.reason() + "): " + DdlApplier.abbreviate(mapped.sql())));
        }
        DdlTranslator.Translation t = DdlTranslator.translate(onTarget, target);
        List<String> notes = new ArrayList<>(t.changes());
        if (t.sql() == null) {
            notes.add("nothing left to run on " + target.version().raw() + ": " + DdlApplier.abbreviate(mapped.sql()));
            return new PlannedDdl(null, null, notes);
        }
        return new PlannedDdl(DdlParser.parse(t.sql(), mapped.contextDatabase()), mapped.contextDatabase(), notes);
    }
}
