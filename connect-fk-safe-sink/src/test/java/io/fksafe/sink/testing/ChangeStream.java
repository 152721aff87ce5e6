package io.fksafe.sink.testing;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.connect.sink.SinkRecord;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.SourcePosition;

/**
 * A single-partition topic of change records, as the SMT would hand them to the sink: offsets from 0, one source
 * position per change, transaction ids per {@link #tx} call.
 */
public final class ChangeStream {

    public static final String TOPIC = "fksafe.src";

    private final List<SinkRecord> records = new ArrayList<>();
    private long pos = 1000;
    private int txCounter;
    private int file = 1;
    private boolean gtids = true;
    private boolean safe;
    private String gtidPrefix = "0-1-";

    /** Marks the following changes safe, as the SMT does inside a replay window. */
    public ChangeStream safe(boolean on) {
        this.safe = on;
        return this;
    }

    /**
     * Without GTIDs (a MySQL source with gtid_mode off): the following transactions carry no transaction id and no
     * GTID, only binlog coordinates, as Debezium emits them without transaction metadata.
     */
    public ChangeStream gtids(boolean on) {
        this.gtids = on;
        return this;
    }

    /**
     * Another source server (a second Debezium source into another topic or partition): its GTIDs, and so its
     * transaction ids, are its own ({@code 0-<serverId>-N}).
     */
    public ChangeStream server(int serverId) {
        this.gtidPrefix = "0-" + serverId + "-";
        return this;
    }

    /** The source rotates its binlog: the next transaction starts a new file, at a low position again. */
    public ChangeStream rotate() {
        file++;
        pos = 256;
        return this;
    }

    /** Appends one upstream transaction. */
    public ChangeStream tx(ChangeRecord... changes) {
        return tx(false, changes);
    }

    /**
     * With transaction metadata, positions carry each change's index in its transaction (Debezium's total_order).
     * Without, as Debezium MariaDB emits them (connect-smt's mariadb-no-metadata fixture): every change of the
     * transaction at its start position, row 0 (each change here is its own single-row statement).
     */
    private ChangeStream tx(boolean metadata, ChangeRecord... changes) {
        String gtid = gtidPrefix + (++txCounter);
        String txId = gtids ? gtid : null;
        String binlog = String.format("mysql-bin.%06d", file);
        for (int i = 0; i < changes.length; i++) {
            ChangeRecord c = changes[i].toBuilder()
                    .position(new SourcePosition(txId, binlog, pos, metadata ? i + 1 : 0, 0, false))
                    .txId(txId)
                    .safe(safe || changes[i].safe())
                    .build();
            append(c);
        }
        pos += 100;
        return this;
    }

    /** Appends one upstream transaction framed by BEGIN/END markers, as with Debezium's transaction metadata. */
    public ChangeStream txWithMarkers(ChangeRecord... changes) {
        String txId = gtidPrefix + (txCounter + 1);
        append(ChangeRecord.builder(io.fksafe.change.Op.TX_BEGIN).txId(txId).build());
        tx(true, changes);
        append(ChangeRecord.builder(io.fksafe.change.Op.TX_END)
                .txId(txId)
                .txEventCount((long) changes.length)
                .build());
        return this;
    }

    /** Appends snapshot reads: no transaction, shared snapshot position. */
    public ChangeStream snapshot(ChangeRecord... reads) {
        for (ChangeRecord r : reads) {
            append(r.toBuilder()
                    .position(new SourcePosition(null, "mysql-bin.000001", 4, 0, true))
                    .safe(safe || r.safe())
                    .build());
        }
        return this;
    }

    /**
     * Appends a streamed schema change as Debezium sends one (see connect-smt's schema-change.json): a BEGIN marker,
     * then the DDL record in the same transaction, and no END.
     */
    public ChangeStream ddl(String db, String sql) {
        append(ChangeRecord.builder(io.fksafe.change.Op.TX_BEGIN)
                .txId(gtidPrefix + (txCounter + 1))
                .build());
        return tx(ChangeRecord.builder(io.fksafe.change.Op.DDL)
                .database(db)
                .ddl(sql)
                .build());
    }

    /** Appends schema records of Debezium's snapshot: snapshot position, no transaction. */
    public ChangeStream snapshotDdl(String db, String... statements) {
        for (String sql : statements) {
            snapshot(ChangeRecord.builder(io.fksafe.change.Op.DDL)
                    .database(db)
                    .ddl(sql)
                    .build());
        }
        return this;
    }

    /** Appends a record with no value, as a Debezium tombstone that reached the sink. */
    public ChangeStream tombstone() {
        records.add(new SinkRecord(TOPIC, 0, null, null, null, null, records.size()));
        return this;
    }

    public ChangeStream append(ChangeRecord c) {
        records.add(new SinkRecord(TOPIC, 0, null, null, c.schema(), c.toStruct(), records.size()));
        return this;
    }

    /**
     * Appends records {@code from} until {@code to} again under new offsets, as Debezium re-emits after its own restart
     * (same source positions; it resumes from the last source offset Connect committed for it).
     */
    public ChangeStream reemit(long from, long to) {
        for (SinkRecord r : range(from, to)) {
            records.add(new SinkRecord(TOPIC, 0, null, null, r.valueSchema(), r.value(), records.size()));
        }
        return this;
    }

    /** The transaction id of the record at {@code offset}, or null (tombstone, no id). */
    public String txIdAt(long offset) {
        Object v = records.get((int) offset).value();
        return v == null
                ? null
                : ChangeRecord.fromStruct((org.apache.kafka.connect.data.Struct) v)
                        .txId();
    }

    public List<SinkRecord> all() {
        return List.copyOf(records);
    }

    public List<SinkRecord> from(long offset) {
        return List.copyOf(records.subList((int) offset, records.size()));
    }

    public List<SinkRecord> range(long from, long to) {
        return List.copyOf(records.subList((int) from, (int) to));
    }

    /** {@code records} as they would sit on another partition of the topic, under the same offsets. */
    public static List<SinkRecord> onPartition(int partition, List<SinkRecord> records) {
        return records.stream()
                .map(r -> new SinkRecord(r.topic(), partition, null, null, r.valueSchema(), r.value(), r.kafkaOffset()))
                .toList();
    }

    public int size() {
        return records.size();
    }
}
