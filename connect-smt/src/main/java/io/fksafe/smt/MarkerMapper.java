package io.fksafe.smt;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.Op;
import io.fksafe.change.SourcePosition;

/** Maps Debezium's transaction BEGIN/END events and schema change events to row-less change records. */
final class MarkerMapper {

    private final SafeModePolicy safeMode;

    MarkerMapper(SafeModePolicy safeMode) {
        this.safeMode = safeMode;
    }

    /** A transaction event carries no source block, so its record has no position. */
    ChangeRecord transaction(EnvelopeLayout layout, Struct value) {
        String status = layout.status(value);
        String id = layout.markerId(value);
        ChangeRecord.Builder b = switch (status == null ? "" : status) {
            case "BEGIN" -> ChangeRecord.builder(Op.TX_BEGIN);
            case "END" -> ChangeRecord.builder(Op.TX_END).txEventCount(layout.eventCount(value));
            default ->
                throw new DataException(
                        "transaction event '" + id + "' has status '" + status + "', expected BEGIN or END");
        };
        Object ts = layout.markerTsMs(value);
        return b.txId(id)
                .safe(safeMode.isSafe(null))
                .sourceTsMs(ts instanceof Number n ? n.longValue() : null)
                .build();
    }

    /**
     * Snapshot DDL (source.snapshot set) replays the source's schema: DROP/CREATE DATABASE and TABLE. The position's
     * snapshot flag lets the sink tell it from streamed DDL.
     */
    ChangeRecord schemaChange(Struct value) {
        Struct source = value.getStruct("source");
        SourcePosition position = SourceBlock.position(source, 0, false);
        return ChangeRecord.builder(Op.DDL)
                .database(value.getString("databaseName"))
                .table(SourceBlock.table(source))
                .ddl(value.getString("ddl"))
                .position(position)
                .txId(SourceBlock.gtid(source))
                .safe(safeMode.isSafe(position))
                .sourceTsMs(SourceBlock.timestampMs(source))
                .build();
    }
}
