package io.fksafe.sink.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.SourcePosition;
import io.fksafe.sink.checkpoint.Checkpoint;
import io.fksafe.sink.plan.PlannedRow;
import io.fksafe.sink.record.RecordRef;

/**
 * One upstream transaction (or one change, when the source gave no transaction id): the records that must commit
 * together on the target. Records without a row (markers, tombstones) are kept for their offsets.
 */
final class Unit {

    private static final class Entry {
        final RecordRef ref;
        final SourcePosition position;
        final SinkRecord origin;
        PlannedRow row;

        Entry(RecordRef ref, SourcePosition position, PlannedRow row, SinkRecord origin) {
            this.ref = ref;
            this.position = position;
            this.row = row;
            this.origin = origin;
        }
    }

    final String txId;
    /** Opened by a transaction BEGIN marker, so it ends exactly at the matching END. */
    final boolean explicit;

    private final List<Entry> entries = new ArrayList<>();
    private int rowCount;
    private long bytes;

    Unit(String txId, boolean explicit) {
        this.txId = txId;
        this.explicit = explicit;
    }

    void add(RecordRef ref, SourcePosition position, PlannedRow row, SinkRecord origin) {
        entries.add(new Entry(ref, position, row, origin));
        if (row != null) {
            rowCount++;
            bytes += row.bytes();
        }
    }

    int rowCount() {
        return rowCount;
    }

    int entryCount() {
        return entries.size();
    }

    long bytes() {
        return bytes;
    }

    void forEachRow(java.util.function.Consumer<PlannedRow> action) {
        for (Entry e : entries) {
            if (e.row != null) {
                action.accept(e.row);
            }
        }
    }

    /** The record a row came from, or null if the row is not in this unit. */
    SinkRecord originOf(PlannedRow row) {
        for (Entry e : entries) {
            if (e.row == row) {
                return e.origin;
            }
        }
        return null;
    }

    /** Takes a row out (it went to the dead-letter queue); its offset still moves with the unit. */
    void dropRow(PlannedRow row) {
        for (Entry e : entries) {
            if (e.row == row) {
                e.row = null;
                rowCount--;
                bytes -= row.bytes();
            }
        }
    }

    /** Its records' Kafka coordinates, first to last, for messages. */
    String span() {
        return entries.isEmpty() ? "no records" : entries.get(0).ref + " to " + entries.get(entries.size() - 1).ref;
    }

    /**
     * Two complete units holding the first half of the rows (and the records between them) and the rest, for a
     * transaction the target cannot take in one piece when 'transaction.split.allowed' is set.
     */
    List<Unit> halves() {
        int rowsLeft = rowCount / 2;
        int cut = 0;
        while (rowsLeft > 0) {
            if (entries.get(cut++).row != null) {
                rowsLeft--;
            }
        }
        List<Unit> out = new ArrayList<>(2);
        for (List<Entry> part : List.of(entries.subList(0, cut), entries.subList(cut, entries.size()))) {
            Unit u = new Unit(txId, explicit);
            part.forEach(e -> u.add(e.ref, e.position, e.row, e.origin));
            out.add(u);
        }
        return out;
    }

    /** When the source made this unit's newest change: source_ts_ms of its last row; null if that row has none. */
    Long newestSourceTsMs() {
        for (int i = entries.size() - 1; i >= 0; i--) {
            SinkRecord origin = entries.get(i).origin;
            if (origin != null) { // the last row's record: markers and no-ops have none
                Field f = origin.value() instanceof Struct s ? sourceTsField(s.schema()) : null;
                return f == null ? null : (Long) ((Struct) origin.value()).get(f);
            }
        }
        return null;
    }

    /** A schema and its source_ts_ms field (or null): the last one asked for, as converters reuse schema instances. */
    private record TsField(Schema schema, Field field) {}

    private static TsField lastTsField; // immutable: a racy read sees a whole one, another one, or none

    private static Field sourceTsField(Schema schema) {
        TsField last = lastTsField;
        if (last == null || last.schema != schema) {
            last = new TsField(schema, schema.field(ChangeRecord.SOURCE_TS_MS));
            lastTsField = last;
        }
        return last.field;
    }

    /** Folds this unit's next offset and last known source position per partition into {@code into}. */
    void checkpoints(Map<TopicPartition, Checkpoint> into) {
        for (Entry e : entries) {
            TopicPartition tp = e.ref.topicPartition();
            Checkpoint prev = into.get(tp);
            SourcePosition pos = e.position != null ? e.position : prev == null ? null : prev.position();
            into.put(tp, new Checkpoint(e.ref.offset() + 1, pos));
        }
    }
}
