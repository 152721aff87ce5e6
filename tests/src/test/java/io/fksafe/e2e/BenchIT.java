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

/**
 * {@code ./fksafe bench} at a tiny size (200 parents: 1,220 row changes) on the e2e stack: every drain finishes, the
 * table and the machine-readable line are printed, fksafe's target equals the source. No figure is asserted.
 */
class BenchIT {

    private static final Pattern LINE = Pattern.compile(
            "BENCH fksafe=(\\d+) dbz_fksafe=(\\d+) dbz_fkoff=(\\d+) raw=(\\d+) correct=(yes|no)");

    @Test
    void tinyBench_printsTheTableAndTheBenchLine_fksafeCorrect() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new TeeStream(buf, System.out), true, StandardCharsets.UTF_8);
        boolean correct;
        try (EmbeddedStack stack = EmbeddedStack.start("bench")) {
            Bench.Options options = Bench.Options.parse(List.of("--parents=200", "--timeout-minutes=3"));
            correct = new Bench(stack, EmbeddedStack.WORK.resolve("mariadb"),
                    EmbeddedStack.WORK.resolve("bench-" + System.currentTimeMillis()), out, options).run();
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        Matcher m = LINE.matcher(text);
        assertTrue(m.find(), "no BENCH line in:\n" + text);
        assertTrue(correct && m.group(5).equals("yes"), "fksafe's target differs from the source:\n" + text);
        assertTrue(Long.parseLong(m.group(1)) > 0 && Long.parseLong(m.group(4)) > 0, m.group());
        assertTrue(text.contains("Debezium JDBC sink: one topic, batch 1"), text);
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
