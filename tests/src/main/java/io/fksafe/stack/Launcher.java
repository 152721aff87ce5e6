package io.fksafe.stack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code ./fksafe}'s Java side: {@code up}, {@code down}, {@code status}, {@code verify [DB]}, {@code lab}, {@code bench}.
 * Run by the script with {@code -Dfksafe.home=.fksafe -Dfksafe.repo=.}; {@code sql} is the script's own (the
 * bundled {@code mariadb} client, no JVM).
 */
public final class Launcher {

    private Launcher() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        Path home = Path.of(System.getProperty("fksafe.home", ".fksafe"));
        Path repo = Path.of(System.getProperty("fksafe.repo", "."));
        String cmd = args.length == 0 ? "" : args[0];
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        int code;
        try {
            LocalStack stack = new LocalStack(home, repo, out);
            code = switch (cmd) {
                case "up" -> {
                    out.println("fksafe up: source MariaDB -> Debezium -> Kafka -> fksafe sink -> target MariaDB");
                    stack.up();
                    yield 0;
                }
                case "down" -> {
                    out.println("fksafe down:");
                    stack.down();
                    yield 0;
                }
                case "status" -> {
                    stack.status();
                    yield 0;
                }
                case "verify" -> verify(stack, rest.isEmpty() ? null : rest.get(0), out);
                case "lab" -> lab(stack, out);
                case "bench" -> {
                    BenchOptions options = BenchOptions.parse(rest); // before up: a bad option fails fast
                    stack.up();
                    yield new Bench(stack, home.resolve("mariadb"), home, out, options).run() ? 0 : 1;
                }
                default -> {
                    System.err.println("unknown command '" + cmd + "'");
                    yield 2;
                }
            };
        } catch (Exception e) {
            System.err.println("fksafe " + cmd + ": " + e.getMessage());
            if (Boolean.getBoolean("fksafe.debug")) {
                e.printStackTrace();
            }
            code = 1;
        }
        System.exit(code);
    }

    private static int verify(LocalStack stack, String database, PrintStream out) throws Exception {
        try (Pipeline p = new Pipeline(stack).progress(out)) {
            if (stack.connect().ready()) {
                try {
                    p.awaitCaughtUp(Duration.ofSeconds(60));
                } catch (Exception notCaughtUp) {
                    out.println("(the sink has not caught up: " + notCaughtUp.getMessage() + "; comparing anyway)");
                }
            }
            String checkpointDb = p.sink()
                    .config()
                    .getOrDefault("checkpoint.table", "fksafe.fksafe_checkpoint")
                    .split("\\.")[0];
            return Verify.print(Verify.compare(stack.source(), stack.target(), database, Set.of(checkpointDb)), out)
                    ? 0
                    : 1;
        }
    }

    private static int lab(LocalStack stack, PrintStream out) throws Exception {
        long t0 = System.nanoTime();
        out.println("fksafe lab: the DM safe-mode lab (docs/lab.md) through the whole pipeline");
        stack.up();
        try (Pipeline p = new Pipeline(stack).progress(out)) {
            boolean ok = new SeedLab(stack, p, out).run();
            out.printf("lab: %s (%.1f s)%n", ok ? "PASS" : "FAIL", (System.nanoTime() - t0) / 1e9);
            return ok ? 0 : 1;
        }
    }
}
