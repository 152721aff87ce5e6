package io.fksafe.sink.ddl;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.SourcePosition;
import io.fksafe.sink.checkpoint.Checkpoint;
import io.fksafe.sink.checkpoint.CheckpointStore;
import io.fksafe.sink.config.DdlMode;
import io.fksafe.sink.config.FkSafeSinkConfig;
import io.fksafe.sink.config.TableMapping;
import io.fksafe.sink.ddl.DdlPolicy.Action;
import io.fksafe.sink.ddl.DdlPolicy.Decision;
import io.fksafe.sink.ddl.IntentResolver.Verdict;
import io.fksafe.sink.dialect.ErrorKind;
import io.fksafe.sink.metadata.TableId;
import io.fksafe.sink.record.RecordRef;
import io.fksafe.sink.target.FaultPoint;
import io.fksafe.sink.target.TargetSession;

/**
 * Runs schema changes in stream order, crash-safely: record the intent in the DDL journal (commit), run the statement
 * (it commits implicitly), then mark it done in the transaction that moves the checkpoint past its record. After a
 * crash, an intent without done is resolved by the catalog ({@link IntentResolver}): run if its effects are absent,
 * marked done if present, and an operator is asked when the catalog cannot tell.
 */
public final class DdlApplier {

    private static final Logger log = LoggerFactory.getLogger(DdlApplier.class);

    private final DdlMode mode;
    private final TableMapping mapping;
    private final String connector;
    private final TargetSession session;
    private final CheckpointStore checkpoints;
    private final DdlPolicy policy;
    private final DdlJournal journal;
    private final FaultPoint.Hook faults;
    private boolean journalReady;

    public DdlApplier(
            FkSafeSinkConfig config,
            String connector,
            TargetSession session,
            CheckpointStore checkpoints,
            FaultPoint.Hook faults) {
        this.mode = config.ddlMode;
        this.mapping = config.tableMapping;
        this.connector = connector;
        this.session = session;
        this.checkpoints = checkpoints;
        this.policy = new DdlPolicy(config.checkpointTable.database());
        this.journal = new DdlJournal(config.checkpointTable.database(), connector);
        this.faults = faults;
    }

    /**
     * A schema-change record, in stream order, with every row before it committed. Returns the checkpoint committed
     * past it, or empty when nothing ran and its offset only has to move (with the next transaction).
     */
    public Optional<Checkpoint> apply(RecordRef ref, ChangeRecord change) throws SQLException {
        boolean snapshot = change.position() != null && change.position().snapshot();
        DdlStatement source = DdlParser.parse(change.ddl(), change.database());
        Decision decision = policy.decide(source, snapshot);
        if (decision.action() == Action.SKIP) {
            log.info("record {}: not applied ({}): {}", ref, decision.reason(), abbreviate(change.ddl()));
            return Optional.empty();
        }
        if (mode == DdlMode.SKIP || snapshot && mode == DdlMode.FAIL) {
            log.warn(
                    "record {}: schema change on {} not applied as '{}' is '{}'; change the target by hand: {}",
                    ref,
                    change.database(),
                    FkSafeSinkConfig.DDL_MODE,
                    mode.name().toLowerCase(java.util.Locale.ROOT),
                    abbreviate(change.ddl()));
            return Optional.empty();
        }
        Connection conn = connection();
        JournalEntry existing = journal.find(conn, ref.topic(), ref.partition(), ref.offset());
        conn.commit();
        if (existing != null && !existing.pending()) {
            log.info(
                    "record {}: the DDL journal has this schema change as '{}' ({}); moving past it",
                    ref,
                    existing.state(),
                    existing.note());
            return Optional.of(commitPast(ref.topicPartition(), ref.offset(), change.position(), null, null));
        }
        if (existing != null && mode == DdlMode.APPLY) {
            return Optional.of(resolve(existing, "a redelivery"));
        }
        if (existing == null && !snapshot && change.position() != null) {
            JournalEntry earlier = journal.findAt(conn, ref.topicPartition(), change.position(), change.ddl());
            conn.commit();
            if (earlier
                    != null) { // Debezium read its binlog again (its offsets moved back): same event, new Kafka offset
                log.info(
                        "record {}: Debezium sent this schema change again; the DDL journal has it as '{}' at {}; moving past "
                                + "it: {}",
                        ref,
                        earlier.state(),
                        earlier.key(),
                        abbreviate(change.ddl()));
                return Optional.of(commitPast(ref.topicPartition(), ref.offset(), change.position(), null, null));
            }
        }
        if (mode == DdlMode.FAIL) {
            throw new ConnectException("record " + ref + " is a schema change on database " + change.database() + " ("
                    + abbreviate(change.ddl()) + ") and '" + FkSafeSinkConfig.DDL_MODE
                    + "' is 'fail'; every row before it "
                    + "is committed. Apply it to the target by hand, record it as done with: "
                    + journal.markDoneByHand(ref.topic(), ref.partition(), ref.offset())
                    + "; and restart the task. Or set '"
                    + FkSafeSinkConfig.DDL_MODE + "' to 'apply' to let the sink run it");
        }
        if (decision.action() == Action.REFUSE) {
            throw refused(ref, change, decision.reason());
        }
        PlannedDdl planned;
        try {
            planned = PlannedDdl.plan(source, snapshot, mapping, policy, session.dialect());
        } catch (DdlRefusedException e) {
            throw refused(ref, change, e.getMessage());
        }
        for (String note : planned.notes()) {
            log.info("record {}: {}", ref, note);
        }
        if (planned.statement() == null) {
            return Optional.empty();
        }
        List<Long> before = CatalogInspector.counts(conn, planned.statement().effects);
        conn.commit();
        if (snapshot && !before.isEmpty() && before.stream().allMatch(c -> c > 0)) {
            log.info(
                    "record {}: {} already on the target; the snapshot's definition is not applied",
                    ref,
                    planned.statement().effects.get(0).probe().describe());
            return Optional.empty();
        }
        JournalEntry entry = new JournalEntry(
                ref.topic(),
                ref.partition(),
                ref.offset(),
                change.position(),
                change.database(),
                change.ddl(),
                planned.contextDatabase(),
                planned.statement().sql,
                !snapshot,
                before,
                JournalEntry.INTENT,
                null);
        journal.recordIntent(conn, session.dialect(), entry);
        faults.at(FaultPoint.AFTER_DDL_INTENT);
        execute(entry);
        faults.at(FaultPoint.AFTER_DDL);
        log.info(
                "record {}: applied schema change{}: {}",
                ref,
                entry.targetDatabase() == null ? "" : " in " + entry.targetDatabase(),
                abbreviate(entry.statement()));
        return Optional.of(finish(entry, "applied"));
    }

    /**
     * On open(): resolves each intent not marked done that sits exactly at its partition's checkpoint (a later one
     * waits for its record). Returns the checkpoints moved past resolved intents.
     */
    public Map<TopicPartition, Checkpoint> recover(
            Collection<TopicPartition> partitions, Map<TopicPartition, Checkpoint> loaded) throws SQLException {
        Connection conn = connection();
        List<JournalEntry> pending = journal.pending(conn, partitions);
        conn.commit();
        Map<TopicPartition, Checkpoint> moved = new HashMap<>();
        for (JournalEntry e : pending) {
            TopicPartition tp = e.topicPartition();
            Checkpoint cp = moved.containsKey(tp) ? moved.get(tp) : loaded.get(tp);
            if (cp != null && cp.nextOffset() > e.offset()) {
                log.warn(
                        "DDL journal {}: intent left behind by a run that moved past it (ddl.mode was not 'apply'); marked "
                                + "skipped: {}",
                        e.key(),
                        abbreviate(e.statement()));
                journal.mark(conn, e, JournalEntry.SKIPPED, "the checkpoint moved past it without it");
                conn.commit();
            } else if (mode != DdlMode.APPLY) {
                log.warn(
                        "DDL journal {}: an unfinished schema change is left as it is because '{}' is not 'apply': {}",
                        e.key(),
                        FkSafeSinkConfig.DDL_MODE,
                        abbreviate(e.statement()));
            } else if (cp == null || cp.nextOffset() == e.offset()) {
                moved.put(tp, resolve(e, "a restart"));
            }
        }
        return moved;
    }

    /** Decides a pending intent from the catalog: mark it done, run it, or stop for an operator. */
    private Checkpoint resolve(JournalEntry e, String after) throws SQLException {
        Connection conn = connection();
        DdlStatement s = DdlParser.parse(e.statement(), e.targetDatabase());
        List<Long> now = CatalogInspector.counts(conn, s.effects);
        conn.commit();
        Verdict v = e.statement() == null
                ? new Verdict(IntentResolver.Outcome.UNDECIDABLE, "the journal row has no statement")
                : IntentResolver.decide(s, e.before(), now);
        switch (v.outcome()) {
            case APPLIED -> {
                log.info(
                        "DDL journal {}: after {}, {}; marking it done: {}",
                        e.key(),
                        after,
                        v.detail(),
                        abbreviate(e.statement()));
                return finish(e, "found applied after " + after + ": " + v.detail());
            }
            case NOT_APPLIED, RERUN -> {
                log.info(
                        "DDL journal {}: after {}, {}; running it: {}",
                        e.key(),
                        after,
                        v.detail(),
                        abbreviate(e.statement()));
                execute(e);
                return finish(e, "run after " + after + ": " + v.detail());
            }
            default ->
                throw new ConnectException("DDL journal " + e.key() + " in " + journal.table() + ": the schema change "
                        + "'" + abbreviate(e.statement())
                        + "' was started before the task stopped, and the target's catalog cannot "
                        + "tell whether it ran: " + v.detail()
                        + ". Check the target. If the change is there (or not wanted), mark "
                        + "it done: " + journal.markDoneByHand(e.topic(), e.partition(), e.offset())
                        + "; if it is not, delete "
                        + "the row so the sink runs it when the record is redelivered: " + deleteByHand(e)
                        + ". Then restart the task");
        }
    }

    private void execute(JournalEntry e) throws SQLException {
        Connection conn = session.connection();
        try (Statement st = conn.createStatement()) {
            if (e.targetDatabase() != null) {
                st.execute("USE " + TableId.quote(e.targetDatabase()));
            }
            session.foreignKeyChecks(e.fkChecks());
            try {
                st.execute(e.statement());
            } catch (SQLException first) {
                if (!e.fkChecks() || !session.dialect().foreignKeyPeerMissing(first)) {
                    throw first;
                }
                // It succeeded on the source, so the source ran it with FK checks off (e.g. a dump restored child
                // first).
                log.warn(
                        "DDL journal {}: failed with foreign_key_checks=1 ([{}] {}); running it with foreign_key_checks=0 "
                                + "as the source must have",
                        e.key(),
                        first.getErrorCode(),
                        first.getMessage());
                session.foreignKeyChecks(false);
                st.execute(e.statement());
            }
        } catch (SQLException ex) {
            if (session.classify(ex) == ErrorKind.TRANSIENT) {
                throw ex; // the task retries; the open intent is resolved by the catalog when the record comes again
            }
            throw new ConnectException(
                    "DDL journal " + e.key() + ": the target rejected schema change '"
                            + abbreviate(e.statement()) + "'"
                            + (e.targetDatabase() == null ? "" : " (run in database " + e.targetDatabase() + ")")
                            + ": [" + ex.getErrorCode() + "/" + ex.getSQLState() + "] " + ex.getMessage()
                            + ". The intent stays open in "
                            + journal.table()
                            + ": make the target accept it, or apply an equivalent change by hand, and restart the "
                            + "task (the sink then checks the catalog and runs it or marks it done); to leave it out, mark it done: "
                            + journal.markDoneByHand(e.topic(), e.partition(), e.offset()),
                    ex);
        } finally {
            try {
                session.foreignKeyChecks(true);
            } catch (SQLException ignored) {
                session.close(); // a fresh connection starts with checks on
            }
        }
    }

    /** Marks the entry done and moves the checkpoint past its record, in one transaction. */
    private Checkpoint finish(JournalEntry e, String note) throws SQLException {
        return commitPast(e.topicPartition(), e.offset(), e.position(), e, note);
    }

    private Checkpoint commitPast(
            TopicPartition tp, long offset, SourcePosition position, JournalEntry done, String note)
            throws SQLException {
        Connection conn = session.connection();
        Checkpoint cp = new Checkpoint(offset + 1, position);
        try {
            if (done != null) {
                journal.mark(conn, done, JournalEntry.DONE, note);
            }
            checkpoints.write(conn, session.dialect(), Map.of(tp, cp));
            conn.commit();
        } catch (SQLException | RuntimeException ex) {
            session.rollbackQuietly();
            throw ex;
        }
        return cp;
    }

    private Connection connection() throws SQLException {
        Connection conn = session.connection();
        if (!journalReady) {
            journal.ensureTable(conn);
            journalReady = true;
        }
        return conn;
    }

    private ConnectException refused(RecordRef ref, ChangeRecord change, String reason) {
        return new ConnectException(
                "record " + ref + ": schema change on database " + change.database() + " is not applied: "
                        + reason + ". Statement: " + abbreviate(change.ddl())
                        + ". To go on, apply an equivalent change to the target "
                        + "by hand (or decide it is not needed), record it as done with: "
                        + journal.markDoneByHand(ref.topic(), ref.partition(), ref.offset())
                        + "; and restart the task. Or set '"
                        + FkSafeSinkConfig.DDL_MODE + "' to 'skip'");
    }

    private String deleteByHand(JournalEntry e) {
        return "DELETE FROM " + journal.table().quoted() + " WHERE connector = '" + connector.replace("'", "''")
                + "' AND topic = '" + e.topic().replace("'", "''") + "' AND kafka_partition = " + e.partition()
                + " AND kafka_offset = " + e.offset();
    }

    static String abbreviate(String ddl) {
        if (ddl == null) {
            return "";
        }
        String one = ddl.replaceAll("\\s+", " ").trim();
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }
}
