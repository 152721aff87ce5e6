package io.fksafe.sink.apply;

import java.sql.Connection;
import java.sql.SQLException;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.Op;
import io.fksafe.sink.config.FkSafeSinkConfig;
import io.fksafe.sink.ddl.ReplaySchemaMapper;
import io.fksafe.sink.metadata.TableId;
import io.fksafe.sink.metadata.TableMeta;
import io.fksafe.sink.plan.PlannedRow;
import io.fksafe.sink.plan.Planner;
import io.fksafe.sink.record.RecordRef;
import io.fksafe.sink.replay.ReplayWindows;

/**
 * A record's way in, in order: already committed, tombstone, decode, re-emitted duplicate, schema change, carried
 * into today's schema (a replay), target table, plan, buffered in the {@link Applier}. The checks and lookups on the
 * way have no side effects: what a row means for a replay window is recorded where the row is taken in.
 */
public final class RecordIntake {

    private final FkSafeSinkConfig config;
    private final Applier applier;
    private final Planner planner;
    private final DuplicateFilter duplicates;
    private final DeadLetters deadLetters;
    private final ReplayWindows replayWindows;
    private final ReplaySchemaMapper replaySchema;
    private final ReplaySchemaMapper.Target replayTarget = new ReplaySchemaMapper.Target() {
        @Override
        public Connection connection() throws SQLException {
            return applier.connection();
        }

        @Override
        public TableMeta table(TableId id) throws SQLException {
            return applier.table(id);
        }
    };

    RecordIntake(
            FkSafeSinkConfig config,
            Applier applier,
            Planner planner,
            DuplicateFilter duplicates,
            DeadLetters deadLetters,
            ReplayWindows replayWindows,
            ReplaySchemaMapper replaySchema) {
        this.config = config;
        this.applier = applier;
        this.planner = planner;
        this.duplicates = duplicates;
        this.deadLetters = deadLetters;
        this.replayWindows = replayWindows;
        this.replaySchema = replaySchema;
    }

    /** Takes one record in, in arrival order; complete transactions are applied as soon as they fill a batch. */
    public void take(SinkRecord r) throws SQLException {
        RecordRef ref = RecordRef.of(r);
        if (duplicates.belowCheckpoint(ref)) {
            return; // in the target by its checkpoint: a redelivery after a failed put or a crash before Kafka's commit
        }
        if (r.value() == null) {
            applier.addNoop(ref); // a tombstone: nothing to apply, but its offset must move
            return;
        }
        ChangeRecord change;
        try {
            change = decode(r, ref);
        } catch (DataException e) {
            skipOrStop(r, ref, e);
            return;
        }
        // by its source position (Debezium re-emits under new offsets): only exact evidence says yes
        Applied applied = duplicates.check(ref, change);
        if (applied == Applied.YES) {
            applier.addNoop(ref); // a re-emitted change: its offset moves, nothing is written
            return;
        }
        if (change.op() == Op.DDL) { // ddl.mode and the journaled, crash-safe apply: io.fksafe.sink.ddl (docs/ddl.md)
            applier.applyDdl(ref, change);
            return;
        }
        if (!change.op().isRowChange()) {
            applier.add(r, ref, change, null); // a transaction marker
            return;
        }
        takeRow(r, ref, change, applied);
    }

    private void takeRow(SinkRecord r, RecordRef ref, ChangeRecord change, Applied applied) throws SQLException {
        // inside the replay window of a REST offset rewind: possibly in the target already, so applied in safe mode
        boolean inWindow = replayWindows.covers(ref);
        // a replay onto a target that is ahead: written before later schema changes, applied to today's schema.
        // A row that only MAYBE was applied needs no mapping: it shares the transaction of the checkpoint or of the
        // last row taken in, and a journaled schema change moved the checkpoint past itself when it ran
        var today = replaySchema.map(
                ref, change, config.tableMapping.target(change.database(), change.table()), inWindow, replayTarget);
        if (today.skipped()) {
            applier.addNoop(ref); // its table was dropped later, and its rows with it
            return;
        }
        change = today.change();
        TableId target = today.target();
        TableMeta meta;
        PlannedRow row;
        boolean safe;
        try {
            meta = applier.table(target); // a cache miss waits until the apply thread leaves the connection
            if (meta == null) {
                throw new DataException("record " + ref + " changes source table " + change.database() + "."
                        + change.table() + ", which maps to target table " + target + ", and the target has no such "
                        + "table. Create it (with its primary and foreign keys) on the target, or map it elsewhere "
                        + "with '" + FkSafeSinkConfig.TABLE_MAPPING + "'");
            }
            // safe if the SMT marked it, it may be in the target already (a transaction committed in parts, no
            // metadata to tell), or it lies in the replay window of a REST offset rewind
            safe = config.safeMode.appliesTo(change.safe() || applied == Applied.MAYBE || inWindow);
            row = planner.plan(ref, change, meta, safe);
        } catch (DataException e) {
            skipOrStop(r, ref, e);
            return;
        }
        replayWindows.taken(ref, meta, safe); // before add(): a batch it fills may close the window
        applier.add(r, ref, change, row);
    }

    /** A record that cannot be applied: to the dead-letter queue if the user set one up, else the task stops. */
    private void skipOrStop(SinkRecord r, RecordRef ref, DataException e) {
        String message =
                e.getMessage().startsWith("record ") ? e.getMessage() : "record " + ref + ": " + e.getMessage();
        DataException named = new DataException(message, e.getCause() == null ? e : e.getCause());
        if (!deadLetters.report(r, named)) {
            throw named;
        }
        applier.addNoop(ref);
    }

    private static ChangeRecord decode(SinkRecord r, RecordRef ref) {
        if (!(r.value() instanceof Struct s) || !ChangeRecord.isChangeRecordSchema(r.valueSchema())) {
            throw new DataException("record " + ref + " is not a fksafe change record (value schema '"
                    + (r.valueSchema() == null ? "none" : r.valueSchema().name()) + "'). Add the transform to the sink "
                    + "connector: \"transforms\": \"fksafe\", \"transforms.fksafe.type\": \"io.fksafe.smt.DebeziumToChangeRecord\", "
                    + "and use a converter with schemas (value.converter.schemas.enable=true for JSON)");
        }
        try {
            return ChangeRecord.fromStruct(s);
        } catch (DataException | IllegalArgumentException e) {
            throw new DataException("record " + ref + " is a malformed change record: " + e.getMessage(), e);
        }
    }
}
