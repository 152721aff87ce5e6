package io.fksafe.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.fksafe.stack.Bench;
import io.fksafe.stack.BenchOptions;

/**
 * {@code ./fksafe bench} at a tiny size (200 parents: 1,220 row changes) on the e2e stack: every drain finishes, the
 * table and the machine-readable line are printed, fksafe's target equals the source. No figure is asserted beyond
 * its being there (the worker's heap; with {@code --profile}, the recording read back).
 */
class BenchIT {

    private static final Pattern LINE =
            Pattern.compile("BENCH fksafe=(\\d+) dbz_fksafe=(\\d+) dbz_fkoff=(\\d+) raw=(\\d+) correct=(yes|no)"
                    + " fksafe_heap_mib=(-?\\d+) fksafe_heap_from=(\\w+)");

    @Test
    void tinyBench_printsTheTableAndTheBenchLine_fksafeCorrect() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new TeeStream(buf, System.out), true, StandardCharsets.UTF_8);
        boolean correct;
        try (EmbeddedStack stack = EmbeddedStack.start("bench")) {
            BenchOptions options = BenchOptions.parse(List.of("--parents=200", "--profile", "--timeout-minutes=3"));
            correct = new Bench(
                            stack,
                            EmbeddedStack.WORK.resolve("mariadb"),
                            EmbeddedStack.WORK.resolve("bench-" + System.currentTimeMillis()),
                            out,
                            options)
                    .run();
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        Matcher m = LINE.matcher(text);
        assertTrue(m.find(), "no BENCH line in:\n" + text);
        assertTrue(correct && m.group(5).equals("yes"), "fksafe's target differs from the source:\n" + text);
        assertTrue(Long.parseLong(m.group(1)) > 0 && Long.parseLong(m.group(4)) > 0, m.group());
        assertTrue(text.contains("Debezium JDBC sink: one topic, batch 1"), text);
        // the worker (this JVM) was watched: a heap figure, and the JFR profile of the fksafe drain was read back
        assertTrue(Long.parseLong(m.group(6)) > 0 && !m.group(7).equals("none"), m.group());
        assertTrue(text.contains("profile of the worker during the fksafe drain") && text.contains(".jfr"), text);
        // three fksafe drains by default, each verified, the median one in the table
        assertTrue(text.contains("run 3: ") && text.contains("the median stands in the table"), text);
    }

    private static final Pattern E2E = Pattern.compile("BENCH_E2E fksafe_wall_s=([0-9.]+) capture_wall_s=([0-9.]+) "
            + "ratio=([0-9.]+) p50_ms=(\\d+) p99_ms=(\\d+) max_ms=(\\d+) correct=(yes|no)");

    /**
     * {@code ./fksafe bench --end-to-end} at 200 parents: the three runs finish, the target equals the source, and
     * the figures hang together (positive walls, p50 <= p99 <= max, the ratio is the walls' quotient). No timing
     * threshold.
     */
    @Test
    void tinyEndToEnd_printsLagAndLatencies_fksafeCorrect() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new TeeStream(buf, System.out), true, StandardCharsets.UTF_8);
        boolean correct;
        try (EmbeddedStack stack = EmbeddedStack.start("bench-e2e")) {
            BenchOptions options =
                    BenchOptions.parse(List.of("--parents=200", "--end-to-end", "--rounds=2", "--timeout-minutes=3"));
            correct = new Bench(
                            stack,
                            EmbeddedStack.WORK.resolve("mariadb"),
                            EmbeddedStack.WORK.resolve("bench-e2e-" + System.currentTimeMillis()),
                            out,
                            options)
                    .run();
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        Matcher m = E2E.matcher(text);
        assertTrue(m.find(), "no BENCH_E2E line in:\n" + text);
        assertTrue(correct && m.group(7).equals("yes"), "fksafe's target differs from the source:\n" + text);
        double fksafe = Double.parseDouble(m.group(1));
        double capture = Double.parseDouble(m.group(2));
        long p50 = Long.parseLong(m.group(4));
        long p99 = Long.parseLong(m.group(5));
        long max = Long.parseLong(m.group(6));
        assertTrue(fksafe > 0 && capture > 0, m.group());
        assertTrue(
                Math.abs(Double.parseDouble(m.group(3)) - fksafe / capture) <= 0.01 + 0.02 * fksafe / capture,
                m.group());
        assertTrue(
                p50 <= p99 && p99 <= max && max <= fksafe * 1000 + 10,
                m.group()); // no transaction waits longer than the run
        assertTrue(text.contains("lag of the fksafe sink") && text.contains("capture only, again"), text);
        // a warm-up and two rounds: six runs, both rounds' ratios, the median one's figures in the line
        assertTrue(
                text.contains("run 1/6: capture only, warm-up") && text.contains("run 6/6: capture only, again"), text);
        assertTrue(text.contains("rounds' ratios in order: "), text);
        assertTrue(text.contains(m.group() + " rounds=2"), text);
    }

    /** Prints to both: the test log shows the bench as it runs. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws java.io.IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
