package io.fksafe.stack;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code ./fksafe bench}'s command-line choices. */
public record BenchOptions(
        int parents,
        String converter,
        Duration timeout,
        double slowLinkMillis,
        boolean endToEnd,
        boolean profile,
        boolean exactHeap,
        int fksafeRuns,
        int rounds,
        Map<String, String> sinkOptions) {
    public static BenchOptions parse(List<String> args) {
        int parents = 20_000;
        double slowLink = 0;
        String converter = "fksafe";
        Duration timeout = Duration.ofMinutes(30);
        boolean endToEnd = false;
        boolean profile = false;
        boolean exactHeap = false;
        int fksafeRuns = 0; // not given: 3 drains
        int rounds = 0; // not given: 1 end-to-end round
        Map<String, String> sinkOptions = new java.util.LinkedHashMap<>();
        for (String a : args) {
            if (a.startsWith("--parents=")) {
                parents = Integer.parseInt(a.substring("--parents=".length()).replace("_", ""));
            } else if (a.startsWith("--converter=")) {
                converter = a.substring("--converter=".length());
                if (!converter.equals("fksafe") && !converter.equals("json")) {
                    throw new IllegalArgumentException("--converter=json|fksafe, not " + converter);
                }
            } else if (a.equals("--slow-link")) {
                slowLink = 1;
            } else if (a.startsWith("--slow-link=")) {
                slowLink = Double.parseDouble(a.substring("--slow-link=".length()));
            } else if (a.equals("--end-to-end")) {
                endToEnd = true;
            } else if (a.equals("--profile")) {
                profile = true;
            } else if (a.equals("--exact-heap")) {
                exactHeap = true;
            } else if (a.startsWith("--sink-option=") && a.indexOf('=', "--sink-option=".length()) > 0) {
                String kv =
                        a.substring("--sink-option=".length()); // one fksafe sink setting, e.g. apply.pipelined=false
                sinkOptions.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            } else if (a.startsWith("--fksafe-runs=")) {
                fksafeRuns = Integer.parseInt(a.substring("--fksafe-runs=".length()));
                if (fksafeRuns < 1 || fksafeRuns > 9) {
                    throw new IllegalArgumentException("--fksafe-runs=1..9, not " + fksafeRuns);
                }
            } else if (a.startsWith("--rounds=")) {
                rounds = Integer.parseInt(a.substring("--rounds=".length()));
                if (rounds < 1 || rounds > 9) {
                    throw new IllegalArgumentException("--rounds=1..9, not " + rounds);
                }
            } else if (a.startsWith("--timeout-minutes=")) {
                timeout = Duration.ofMinutes(Long.parseLong(a.substring("--timeout-minutes=".length())));
            } else {
                throw new IllegalArgumentException("unknown option " + a
                        + " (options: --parents=N, --converter=json|fksafe, --slow-link[=MS], --end-to-end, "
                        + "--rounds=N, --profile, --exact-heap, --fksafe-runs=N, --sink-option=KEY=VALUE, "
                        + "--timeout-minutes=N)");
            }
        }
        if (rounds > 0 && !endToEnd) {
            throw new IllegalArgumentException("--rounds repeats the end-to-end run: give --end-to-end too");
        }
        if (fksafeRuns > 0 && endToEnd) {
            throw new IllegalArgumentException("--fksafe-runs repeats the drain; --end-to-end has none");
        }
        if ((profile || exactHeap) && endToEnd) {
            throw new IllegalArgumentException("--profile and --exact-heap watch the drains; --end-to-end has none");
        }
        return new BenchOptions(
                parents,
                converter,
                timeout,
                slowLink,
                endToEnd,
                profile,
                exactHeap,
                fksafeRuns == 0 ? 3 : fksafeRuns,
                rounds == 0 ? 1 : rounds,
                Map.copyOf(sinkOptions));
    }
}
