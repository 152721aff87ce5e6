package io.fksafe.sink.ddl;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.SourcePosition;
import io.fksafe.sink.ddl.TableTrail.Step;
import io.fksafe.sink.metadata.TableId;
import io.fksafe.sink.metadata.TableMeta;
import io.fksafe.sink.record.RecordRef;

/**
 * Carries a replayed row into today's target schema. A replay (a REST offset rewind's window, or a Debezium
 * re-emission the SMT marked safe) brings rows written before schema changes the target has already run; the DDL
 * journal says which ran after the row, and the parser what each did. Columns dropped later are left out, renamed
 * ones written under today's name, added ones keep the target's value; rows of tables dropped later are skipped,
 * renamed tables followed. Each mapping is logged once per table and counted. Outside a replay nothing changes.
 */
public final class ReplaySchemaMapper {

    /** The task's target: its connection, and table metadata by id (the task's cache). */
    public interface Target {
        Connection connection() throws SQLException;

        TableMeta table(TableId id) throws SQLException;
    }

    /** The record for {@code target}, or {@code skipped} when its table was dropped later. */
    public record Mapped(TableId target, ChangeRecord change, boolean skipped) {}

    private static final Logger log = LoggerFactory.getLogger(ReplaySchemaMapper.class);
    private static final int MAX_SCHEMAS = 1024;

    private final DdlJournal journal;
    private final Map<TopicPartition, List<Step>> history = new HashMap<>();
    private final Map<Schema, Map<List<String>, Schema>> schemas = new IdentityHashMap<>();
    /** Per target table, each mapping with the number of rows it was applied to (in first-seen order). */
    private final Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
    /** The same, since the last summary. */
    private final Map<String, Map<String, Long>> sinceSummary = new LinkedHashMap<>();

    private final Set<String> warned = new HashSet<>();

    public ReplaySchemaMapper(String checkpointDatabase, String connector) {
        this.journal = new DdlJournal(checkpointDatabase, connector);
    }

    /**
     * @param inWindow the record lies in a replay window of a REST offset rewind; otherwise only a change the SMT
     *                 marked safe (a re-emission) is looked at, against schema changes after its source position
     */
    public Mapped map(RecordRef ref, ChangeRecord change, TableId target, boolean inWindow, Target tables)
            throws SQLException {
        Mapped unchanged = new Mapped(target, change, false);
        SourcePosition at = change.position();
        if (!inWindow && (!change.safe() || at == null)) {
            return unchanged;
        }
        Predicate<JournalEntry> later = inWindow ? e -> e.offset() > ref.offset() : e -> after(e.position(), at);
        List<Step> steps = steps(tables, ref.topicPartition(), later);
        if (steps.isEmpty() && !inWindow) {
            return unchanged;
        }
        Set<String> columns = new LinkedHashSet<>();
        for (Struct s : new Struct[] {change.key(), change.oldKey(), change.row()}) {
            if (s != null) {
                s.schema().fields().forEach(f -> columns.add(f.name()));
            }
        }
        TableTrail trail = TableTrail.follow(steps, target, columns);
        String source = change.database() + "." + change.table();
        if (trail.unreadable != null) {
            throw cannotMap(
                    ref,
                    source,
                    trail.unreadable.entry(),
                    "names " + target + " and the sink cannot read what it " + "did to the table's rows ("
                            + trail.unreadable.statement().reason + ")");
        }
        if (trail.droppedBy != null) {
            count(ref, target.toString(), "rows skipped: table dropped later (" + TableTrail.at(trail.droppedBy) + ")");
            return new Mapped(target, change, true);
        }
        TableMeta meta = tables.table(trail.table);
        if (meta == null) {
            return new Mapped(trail.table, change, false); // the caller names the missing table
        }
        Map<String, String> names = trail.names;
        if (inWindow) {
            dropUnexplained(ref, source, meta, trail);
        }
        checkKey(ref, source, meta, trail, change);
        boolean identity = trail.table.equals(target)
                && names.entrySet().stream().allMatch(e -> e.getKey().equals(e.getValue()));
        String table = trail.table.toString();
        trail.notes.values().forEach(note -> count(ref, table, note));
        if (identity) {
            return unchanged;
        }
        ChangeRecord mapped = change.toBuilder()
                .key(rebuild(change.key(), names))
                .oldKey(rebuild(change.oldKey(), names))
                .row(rebuild(change.row(), names))
                .build();
        return new Mapped(trail.table, mapped, false);
    }

    /** Every mapping applied since the last call, with its row count, per table; for the replay window's last log. */
    public String drainSummary() {
        StringBuilder sb = new StringBuilder();
        sinceSummary.forEach((table, byNote) -> {
            sb.append(sb.length() == 0 ? "" : "; ").append(table).append(": ");
            List<String> parts = new ArrayList<>();
            byNote.forEach((note, n) -> parts.add(n + " x " + note));
            sb.append(String.join(", ", parts));
        });
        sinceSummary.clear();
        return sb.toString();
    }

    /** The counts so far (table: mapping -> rows), for tests and the task's summary. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.forEach((table, byNote) -> byNote.forEach((note, n) -> out.put(table + ": " + note, n)));
        return out;
    }

    /** The journal grew or the partitions changed: read it again when next needed. */
    public void forget() {
        history.clear();
    }

    private List<Step> steps(Target target, TopicPartition tp, Predicate<JournalEntry> later) throws SQLException {
        List<Step> all = history.get(tp);
        if (all == null) {
            Connection conn = target.connection();
            all = new ArrayList<>();
            for (JournalEntry e : journal.done(conn, tp)) {
                all.add(new Step(e, e.statement() == null ? null : DdlParser.parse(e.statement(), e.targetDatabase())));
            }
            if (!conn.getAutoCommit()) {
                conn.commit();
            }
            history.put(tp, all);
        }
        return all.stream().filter(s -> later.test(s.entry())).toList();
    }

    /** A column today's table lacks and no journaled change explains: history older than the journal. */
    private void dropUnexplained(RecordRef ref, String source, TableMeta meta, TableTrail trail) {
        trail.names.replaceAll((orig, now) -> {
            if (now == null || meta.column(now) != null) {
                return now;
            }
            String note =
                    "column '" + now + "' has no column in today's table and no journaled schema change explains it"
                            + (trail.byHand.isEmpty()
                                    ? ""
                                    : " (changes marked done by hand at offsets "
                                            + trail.byHand.stream()
                                                    .map(JournalEntry::offset)
                                                    .toList() + " may)")
                            + ": dropped from replayed rows";
            if (warned.add(meta.id() + "." + now)) {
                log.warn(
                        "record {} of {} is replayed into {}, which is ahead of it: {}. The change predates the DDL journal "
                                + "(or was made by hand); outside a replay this column would stop the task",
                        ref,
                        source,
                        meta.id(),
                        note);
            }
            trail.notes.put("?" + orig, note);
            return null;
        });
    }

    /** Today's key must be found in the row: a key moved later onto columns the row lacks cannot be. */
    private static void checkKey(RecordRef ref, String source, TableMeta meta, TableTrail trail, ChangeRecord change) {
        if (trail.keyChangedBy == null) {
            return;
        }
        Set<String> carried = new HashSet<>();
        for (Struct s : new Struct[] {change.key(), change.row()}) {
            if (s != null) {
                s.schema().fields().forEach(f -> {
                    String now = trail.names.get(f.name());
                    if (now != null) {
                        carried.add(now.toLowerCase(java.util.Locale.ROOT));
                    }
                });
            }
        }
        List<String> missing = meta.primaryKey().stream()
                .filter(c -> !carried.contains(c.toLowerCase(java.util.Locale.ROOT)))
                .toList();
        if (!missing.isEmpty()) {
            throw cannotMap(
                    ref,
                    source,
                    trail.keyChangedBy,
                    "moved the primary key of " + meta.id() + " onto " + missing
                            + ", which the replayed row does not carry, so it cannot be matched with a row of today's table");
        }
    }

    private static ConnectException cannotMap(RecordRef ref, String source, JournalEntry by, String what) {
        return new ConnectException("record " + ref + " of " + source
                + " is replayed onto a target that is ahead of it and "
                + "cannot be carried into today's schema: the later schema change '"
                + DdlApplier.abbreviate(by.statement())
                + "' (DDL journal " + by.key() + ") " + what + ". The target already holds every record before the old "
                + "checkpoint, so replay from after that change instead: stop the connector, PATCH its offsets to "
                + (by.offset() + 1)
                + " (docs/replay.md) and resume. If records before it must be replayed, restore a target "
                + "backup taken before offset " + by.offset() + " and replay from there");
    }

    private void count(RecordRef ref, String table, String note) {
        sinceSummary.computeIfAbsent(table, t -> new LinkedHashMap<>()).merge(note, 1L, Long::sum);
        Map<String, Long> byNote = counts.computeIfAbsent(table, t -> new LinkedHashMap<>());
        if (byNote.merge(note, 1L, Long::sum) == 1L && warned.add(table + "|" + note)) {
            log.info(
                    "replay into today's schema, from record {}: {}: {} (logged once; rows counted)", ref, table, note);
        }
    }

    private Struct rebuild(Struct s, Map<String, String> names) {
        if (s == null) {
            return null;
        }
        List<String> to = new ArrayList<>();
        for (Field f : s.schema().fields()) {
            to.add(names.getOrDefault(f.name(), f.name()));
        }
        if (schemas.size() > MAX_SCHEMAS) {
            schemas.clear(); // a converter that never reuses schemas must not grow this without bound
        }
        Schema schema = schemas.computeIfAbsent(s.schema(), x -> new HashMap<>())
                .computeIfAbsent(to, k -> {
                    SchemaBuilder b = SchemaBuilder.struct().name(s.schema().name());
                    if (s.schema().isOptional()) {
                        b.optional();
                    }
                    for (int i = 0; i < k.size(); i++) {
                        if (k.get(i) != null) {
                            b.field(k.get(i), s.schema().fields().get(i).schema());
                        }
                    }
                    return b.build();
                });
        Struct out = new Struct(schema);
        for (int i = 0; i < to.size(); i++) {
            if (to.get(i) != null) {
                out.put(to.get(i), s.get(s.schema().fields().get(i)));
            }
        }
        return out;
    }

    private static boolean after(SourcePosition ddl, SourcePosition row) {
        if (ddl == null || ddl.snapshot()) {
            return false;
        }
        try {
            return row.compareTo(ddl) < 0;
        } catch (RuntimeException e) {
            return false; // positions of different servers: no order to go by
        }
    }
}
