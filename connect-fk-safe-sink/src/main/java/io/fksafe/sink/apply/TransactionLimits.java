package io.fksafe.sink.apply;

import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.sink.config.FkSafeSinkConfig;
import io.fksafe.sink.record.RecordRef;

/**
 * The largest upstream transaction the task buffers ('transaction.max.rows' / 'transaction.max.bytes'): past it the
 * task stops, or with 'transaction.split.allowed' applies the transaction in parts.
 */
final class TransactionLimits {

    private static final Logger log = LoggerFactory.getLogger(TransactionLimits.class);

    private final FkSafeSinkConfig config;
    private final ApplyStats stats;

    TransactionLimits(FkSafeSinkConfig config, ApplyStats stats) {
        this.config = config;
        this.stats = stats;
    }

    /** After {@code ref} joined the open transaction of its partition: is that one over the limits? */
    void check(UnitAssembler assembler, RecordRef ref) {
        Unit open = assembler.openOf(ref);
        if (open == null
                || open.rowCount() <= config.transactionMaxRows && open.bytes() <= config.transactionMaxBytes) {
            return;
        }
        String what = "upstream transaction " + open.txId + " has grown past " + open.rowCount() + " rows / ~"
                + open.bytes() + " bytes at record " + ref + ", over '"
                + FkSafeSinkConfig.TRANSACTION_MAX_ROWS + "'=" + config.transactionMaxRows + " / '"
                + FkSafeSinkConfig.TRANSACTION_MAX_BYTES + "'=" + config.transactionMaxBytes;
        if (!config.transactionSplitAllowed) {
            throw new ConnectException(
                    what + ". fksafe applies an upstream transaction atomically, so it stops here. Raise "
                            + "the limits (within the target's: TiDB txn-total-size-limit, default 100 MiB) and the worker's heap, "
                            + "or set '" + FkSafeSinkConfig.TRANSACTION_SPLIT + "'=true to apply it in parts");
        }
        log.warn(
                "{}: splitting it, as '{}'=true; the target sees this transaction in several commits",
                what,
                FkSafeSinkConfig.TRANSACTION_SPLIT);
        stats.splitTransaction();
        assembler.finishOpen(ref);
    }
}
