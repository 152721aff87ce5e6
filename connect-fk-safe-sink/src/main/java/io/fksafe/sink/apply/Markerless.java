package io.fksafe.sink.apply;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.SourcePosition;
import io.fksafe.sink.config.FkSafeSinkConfig;
import io.fksafe.sink.record.RecordRef;

/**
 * What a topic without Debezium's transaction markers costs, said once: such a transaction ends only when a record of
 * another one of its partition arrives, so after 'transaction.idle.ms' without records of that partition the sink
 * commits what it has ({@link UnitAssembler#closeIdle} keeps the clock).
 */
final class Markerless {

    private static final Logger log = LoggerFactory.getLogger(Markerless.class);

    private final long idleMs;
    private final ApplyStats stats;
    private boolean warned;

    Markerless(long idleMs, ApplyStats stats) {
        this.idleMs = idleMs;
        this.stats = stats;
    }

    /** A change was buffered: the first row change without metadata is warned about. */
    void taken(ChangeRecord change) {
        SourcePosition p = change.position();
        if (!warned && change.op().isRowChange() && p != null && !p.snapshot() && p.event() == 0) {
            warned = true;
            log.warn(
                    "row changes arrive without Debezium transaction metadata (first at {}.{}, position {}): the sink "
                            + "cannot see where a transaction ends, so it closes one when the next begins or after '{}'={} ms "
                            + "of idle stream. A transaction that spans such a pause is committed in parts (not atomic on the "
                            + "target); a Debezium re-emission cannot be told from new rows of a transaction, so every row "
                            + "after a transaction's first is applied in safe mode (idempotent). Fix: set "
                            + "'provide.transaction.metadata=true' on the Debezium source connector and route its transaction "
                            + "topic into the same topic as the tables (docs/deploy.md)",
                    change.database(),
                    change.table(),
                    p,
                    FkSafeSinkConfig.TRANSACTION_IDLE_MS,
                    idleMs);
        }
    }

    long idleMs() {
        return idleMs;
    }

    /** More of a transaction closed for idleness came: it is split across target transactions. */
    void split(RecordRef ref, String txId) {
        stats.splitTransaction();
        log.info(
                "transaction {} continues at record {} after its partition was idle for over {} ms and its first part "
                        + "was committed: it is applied in parts (no transaction metadata in the topic)",
                txId,
                ref,
                idleMs);
    }
}
