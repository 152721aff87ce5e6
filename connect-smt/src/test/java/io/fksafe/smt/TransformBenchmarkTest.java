package io.fksafe.smt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

import io.fksafe.change.ChangeRecord;

/**
 * Per-record cost of the hand-over between Debezium's envelope and the sink: the transform (in window safe mode, so
 * positions are compared), the sink taking its records back as Connect runs them (a poll's records transformed, then
 * put, on one thread), and the sink's decode of a Struct it cannot take back; on the captured MariaDB records already
 * converted. Prints a line "BENCHMARK transform ..."; asserts no timing. More records:
 * -Dfksafe.bench.transform.records=N.
 */
class TransformBenchmarkTest {

    private static final int RECORDS = Integer.getInteger("fksafe.bench.transform.records", 200_000);

    @Test
    void printsPerRecordCost() {
        List<SinkRecord> inputs = new ArrayList<>();
        for (SinkRecord r : DebeziumFixtures.all()) {
            if (!(r.value() instanceof Struct s && s.schema().field("op") != null && "t".equals(s.getString("op")))) {
                inputs.add(r); // truncates stop the transform by default
            }
        }
        DebeziumToChangeRecord<SinkRecord> smt = new DebeziumToChangeRecord<>();
        smt.configure(Map.of(
                "safe.mode",
                "window",
                "safe.mode.windows",
                "0-1-1..0-1-12,file=mysql-bin.000001;pos=4;row=0..file=mysql-bin.000001;pos=3000;row=0"));
        List<Struct> outputs = new ArrayList<>();
        for (SinkRecord r : inputs) {
            SinkRecord out = smt.apply(r);
            if (out != null && out.value() instanceof Struct s && ChangeRecord.isChangeRecordSchema(s.schema())) {
                outputs.add(s);
            }
        }
        double[] transform = new double[3];
        double[] take = new double[3];
        double[] decode = new double[3];
        for (int round = 0; round < 3; round++) { // round 0 warms up; the figure is the better of rounds 1 and 2
            double[] polled = pollNanos(smt, inputs);
            transform[round] = polled[0];
            take[round] = polled[1];
            decode[round] = decodeNanos(outputs);
        }
        System.out.printf(
                "BENCHMARK transform set=debezium-mariadb inputs=%d records=%d transform_us=%.3f take_us=%.3f"
                        + " decode_us=%.3f%n",
                inputs.size(),
                RECORDS,
                Math.min(transform[1], transform[2]) / 1000,
                Math.min(take[1], take[2]) / 1000,
                Math.min(decode[1], decode[2]) / 1000);
        for (Struct s : outputs) { // what was timed decodes to what was encoded
            assertEquals(s, ChangeRecord.fromStruct(s).toStruct(s.schema()));
        }
        smt.close();
    }

    /** Per record: the transform, and the sink's {@code fromStruct} of its outputs, in polls of Connect's 500. */
    private static double[] pollNanos(DebeziumToChangeRecord<SinkRecord> smt, List<SinkRecord> inputs) {
        int n = inputs.size();
        long sink = 0;
        long transform = 0;
        long take = 0;
        Struct[] poll = new Struct[500];
        for (int done = 0; done < RECORDS; ) {
            int size = Math.min(poll.length, RECORDS - done);
            int got = 0;
            long start = System.nanoTime();
            for (int i = 0; i < size; i++) {
                SinkRecord out = smt.apply(inputs.get((done + i) % n));
                if (out != null && out.value() instanceof Struct s && ChangeRecord.isChangeRecordSchema(s.schema())) {
                    poll[got++] = s;
                }
            }
            long transformed = System.nanoTime();
            for (int i = 0; i < got; i++) {
                sink += ChangeRecord.fromStruct(poll[i]).op().ordinal();
            }
            take += System.nanoTime() - transformed;
            transform += transformed - start;
            done += size;
        }
        if (sink < 0) {
            throw new AssertionError();
        }
        return new double[] {(double) transform / RECORDS, (double) take / RECORDS};
    }

    /** Per record: the sink's decode of Structs nothing waits for (a redelivery, or another thread's transform). */
    private static double decodeNanos(List<Struct> outputs) {
        ChangeRecord.forgetWrittenRecords();
        int n = outputs.size();
        long sink = 0;
        long start = System.nanoTime();
        for (int i = 0; i < RECORDS; i++) {
            sink += ChangeRecord.fromStruct(outputs.get(i % n)).op().ordinal();
        }
        long nanos = System.nanoTime() - start;
        if (sink < 0) {
            throw new AssertionError();
        }
        return (double) nanos / RECORDS;
    }
}
