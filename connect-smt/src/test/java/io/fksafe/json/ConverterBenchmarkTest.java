package io.fksafe.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleSupplier;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.storage.Converter;
import org.junit.jupiter.api.Test;

/**
 * Per-record cost of DebeziumJsonConverter against Kafka's JsonConverter on the captured Debezium values (row
 * changes, transaction markers, schema changes) and on generated every-type rows, reading (a sink) and writing (a
 * source). Prints figures, asserts no timing: a line "BENCHMARK converter ..." and one "BENCHMARK converter-write ..."
 * per input set. More records: -Dfksafe.bench.converter.records=N.
 */
class ConverterBenchmarkTest {

    private static final int RECORDS = Integer.getInteger("fksafe.bench.converter.records", 30_000);

    @Test
    void printsPerRecordCost() {
        List<byte[]> captured = new ArrayList<>();
        for (Envelopes.Envelope e : Envelopes.captured(false)) {
            if (!e.key() && e.bytes() != null) {
                captured.add(e.bytes());
            }
        }
        measure("debezium-mariadb", captured);

        Schema schema = Envelopes.everyType();
        var writer = Envelopes.jsonConverter(Map.of(), false);
        Random random = new Random(7);
        List<byte[]> generated = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            generated.add(writer.fromConnectData("t", schema, Envelopes.randomRow(schema, random)));
        }
        measure("every-type", generated);
    }

    private static void measure(String set, List<byte[]> inputs) {
        Map<String, String> config = Map.of("replace.null.with.default", "false");
        Converter theirs = Envelopes.jsonConverter(config, false);
        Converter ours = Envelopes.ours(config, false);
        double avgBytes = inputs.stream().mapToInt(b -> b.length).average().orElse(0);
        double[] us = microsPerRecord(() -> nanosPerRecord(theirs, inputs), () -> nanosPerRecord(ours, inputs));
        double jsonUs = us[0];
        double oursUs = us[1];
        System.out.printf(
                "BENCHMARK converter set=%s records=%d avg_bytes=%.0f jsonconverter_us=%.2f"
                        + " fksafe_us=%.2f speedup=%.1fx%n",
                set, RECORDS, avgBytes, jsonUs, oursUs, jsonUs / oursUs);
        List<SchemaAndValue> values = new ArrayList<>();
        for (byte[] input : inputs) { // what was timed is the same conversion
            assertEquals(theirs.toConnectData("t", input), ours.toConnectData("t", input));
            values.add(theirs.toConnectData("t", input));
        }
        measureWrites(set, values, theirs, ours);
    }

    private static void measureWrites(String set, List<SchemaAndValue> values, Converter theirs, Converter ours) {
        double[] us = microsPerRecord(() -> nanosPerWrite(theirs, values), () -> nanosPerWrite(ours, values));
        double jsonUs = us[0];
        double oursUs = us[1];
        System.out.printf(
                "BENCHMARK converter-write set=%s records=%d jsonconverter_us=%.2f fksafe_us=%.2f speedup=%.1fx%n",
                set, RECORDS, jsonUs, oursUs, jsonUs / oursUs);
        for (SchemaAndValue v : values) { // what was timed writes the same bytes
            assertArrayEquals(
                    theirs.fromConnectData("t", v.schema(), v.value()),
                    ours.fromConnectData("t", v.schema(), v.value()));
        }
    }

    /**
     * Three rounds, each timing JsonConverter then ours, so a change in the machine's load hits both; round 0 warms
     * up and each figure is the better of rounds 1 and 2, in µs per record.
     */
    private static double[] microsPerRecord(DoubleSupplier theirs, DoubleSupplier ours) {
        double[] t = new double[3];
        double[] o = new double[3];
        for (int round = 0; round < 3; round++) {
            t[round] = theirs.getAsDouble();
            o[round] = ours.getAsDouble();
        }
        return new double[] {Math.min(t[1], t[2]) / 1000, Math.min(o[1], o[2]) / 1000};
    }

    private static double nanosPerWrite(Converter c, List<SchemaAndValue> values) {
        long start = System.nanoTime();
        int n = values.size();
        long sink = 0;
        for (int i = 0; i < RECORDS; i++) {
            SchemaAndValue v = values.get(i % n);
            sink += c.fromConnectData("t", v.schema(), v.value()).length;
        }
        long nanos = System.nanoTime() - start;
        if (sink < 0) {
            throw new AssertionError();
        }
        return (double) nanos / RECORDS;
    }

    private static double nanosPerRecord(Converter c, List<byte[]> inputs) {
        long start = System.nanoTime();
        int n = inputs.size();
        long sink = 0;
        for (int i = 0; i < RECORDS; i++) {
            // identity, not hashCode(): a Struct's hashCode walks its whole schema tree, which is not conversion work
            sink += System.identityHashCode(
                            c.toConnectData("t", inputs.get(i % n)).value())
                    & 1;
        }
        long nanos = System.nanoTime() - start;
        if (sink < 0) {
            throw new AssertionError();
        }
        return (double) nanos / RECORDS;
    }
}
