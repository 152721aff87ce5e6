package io.fksafe.smt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.SourcePosition;

/**
 * What a Debezium MariaDB topic without transaction metadata tells the sink about where a row lies, on a real capture
 * (DebeziumFixtureCapture with -Dcapture.transaction.metadata=false): a transaction of four statements, one of them
 * multi-row. Every row carries the transaction's start position, and {@code row} restarts at 0 in each statement, so
 * no field tells two rows of one transaction apart. The sink therefore never drops such a row as a duplicate of
 * another row of the same transaction (docs/sink.md, "Transactions without markers").
 */
class NoTransactionMetadataPositionsTest {

    @Test
    void rowsOfOneTransactionShareItsStartPosition_rowIndexRestartsPerStatement_noEventIndex() {
        DebeziumToChangeRecord<SinkRecord> smt = new DebeziumToChangeRecord<>();
        smt.configure(Map.of());
        List<String> positions = new ArrayList<>();
        List<String> txIds = new ArrayList<>();
        for (SinkRecord in : DebeziumFixtures.load("mariadb-no-metadata/multi-statement-transaction")) {
            SinkRecord out = smt.apply(in);
            if (out != null) {
                ChangeRecord c = ChangeRecord.fromStruct((Struct) out.value());
                positions.add(c.position().format());
                txIds.add(c.txId());
            }
        }
        smt.close();
        String at = "gtid=0-1-17;file=mysql-bin.000001;pos=4465;";
        assertEquals(
                List.of( // INSERT parent; INSERT child x3 (one event); UPDATE child; DELETE child x2 (one event)
                        at + "row=0",
                        at + "row=0",
                        at + "row=1",
                        at + "row=2",
                        at + "row=0",
                        at + "row=0",
                        at + "row=1"),
                positions);
        assertEquals(List.of("0-1-17"), txIds.stream().distinct().toList(), "the transaction id is the GTID");
        SourcePosition first = SourcePosition.parse(positions.get(0));
        assertEquals(
                0,
                first.compareTo(SourcePosition.parse(positions.get(5))),
                "the parent's insert and a later child delete compare equal: no exact row position");
    }
}
