package io.fksafe.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.JMException;
import javax.management.ObjectName;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * {@code ./fksafe bench --profile}: a JFR recording ({@code settings=profile}) of the Connect worker during one drain,
 * started and stopped through the worker's {@code DiagnosticCommand} MBean (what {@code jcmd <pid> JFR.start} does),
 * then summed up for the sink task's thread ({@code task-thread-<connector>-0}): the methods that were on top of its
 * stack most often (self time), and its samples split by the innermost component on the stack.
 */
final class BenchProfile {

    private static final String RECORDING = "fksafe-bench";
    private static final int TOP = 15;

    /**
     * Components, by prefixes of a stack frame's class and method name; a sample goes to the first one found walking
     * from the top of its stack down (so the driver's socket read under the sink's apply counts as the driver, a
     * HashMap under the SMT as the SMT).
     */
    private static final Map<String, List<String>> COMPONENTS = components();

    private static Map<String, List<String>> components() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("JDBC driver (and its socket I/O)", List.of("org.mariadb.jdbc.", "com.mysql."));
        m.put("converter (bytes -> Connect data)", List.of("io.fksafe.json.", "org.apache.kafka.connect.json."));
        m.put("fksafe SMT", List.of("io.fksafe.smt."));
        m.put("fksafe change records (encode/decode)", List.of("io.fksafe.change."));
        m.put("fksafe sink (intake, plan, apply)", List.of("io.fksafe.sink."));
        m.put("Kafka consumer (poll, fetch)", List.of("org.apache.kafka.clients."));
        m.put(
                "Connect's header converter",
                List.of(
                        "org.apache.kafka.connect.runtime.WorkerSinkTask.convertHeadersFor",
                        "org.apache.kafka.connect.storage.SimpleHeaderConverter."));
        return m;
    }

    private final WorkerJvm worker;
    private final Path file;

    private BenchProfile(WorkerJvm worker, Path file) {
        this.worker = worker;
        this.file = file;
    }

    /** Starts a recording in the worker; it writes {@code file} when stopped. */
    static BenchProfile start(WorkerJvm worker, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        BenchProfile p = new BenchProfile(worker, file.toAbsolutePath());
        p.jcmd("jfrStart", "name=" + RECORDING, "settings=profile");
        return p;
    }

    /** Stops the recording and has the worker write it. */
    Path stop() throws IOException {
        jcmd("jfrStop", "name=" + RECORDING, "filename=" + file);
        return file;
    }

    private void jcmd(String operation, String... args) throws IOException {
        try {
            worker.mbeans()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            operation,
                            new Object[] {args},
                            new String[] {String[].class.getName()});
        } catch (JMException e) {
            throw new IOException(operation + " on the worker: " + e.getMessage(), e);
        }
    }

    /** Sample counts: per method on top of the stack, per component. */
    private static final class Tally {
        final Map<String, Integer> self = new HashMap<>();
        final Map<String, Integer> components = new LinkedHashMap<>();
        int samples;

        void add(List<RecordedFrame> frames, boolean truncated) {
            samples++;
            if (!frames.isEmpty()) {
                self.merge(name(frames.get(0)), 1, Integer::sum);
            }
            components.merge(component(frames, truncated), 1, Integer::sum);
        }
    }

    /** One stack sample: in Java code (CPU) or in native code (mostly a blocking socket read). */
    private record Sample(boolean cpu, List<RecordedFrame> frames, boolean truncated) {}

    /** Prints the top self-time methods and the components of the task thread of {@code connector}. */
    static void print(Path jfr, String connector, PrintStream out) throws IOException {
        Map<Long, List<Sample>> byThread = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        int allCpu = 0;
        try (RecordingFile f = new RecordingFile(jfr)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                String type = e.getEventType().getName();
                boolean execution = type.equals("jdk.ExecutionSample");
                if (!execution && !type.equals("jdk.NativeMethodSample")) {
                    continue;
                }
                allCpu += execution ? 1 : 0;
                RecordedThread t = e.getThread("sampledThread");
                RecordedStackTrace st = e.getStackTrace();
                if (t != null && st != null) {
                    names.putIfAbsent(t.getJavaThreadId(), String.valueOf(t.getJavaName()));
                    byThread.computeIfAbsent(t.getJavaThreadId(), k -> new ArrayList<>())
                            .add(new Sample(execution, st.getFrames(), st.isTruncated()));
                }
            }
        }
        long task = taskThread(byThread, names, "task-thread-" + connector + "-");
        Tally cpu = new Tally();
        Tally nat = new Tally();
        for (Sample x : byThread.getOrDefault(task, List.of())) {
            (x.cpu() ? cpu : nat).add(x.frames(), x.truncated());
        }
        out.printf(
                "profile of the worker during the fksafe drain: %s%n  the sink task's thread (%s in the recording):"
                        + " %,d CPU samples (%.0f%% of the worker's %,d), %,d samples in native code (mostly waiting"
                        + " on a socket)%n",
                jfr,
                task < 0 ? "not found" : "\"" + names.get(task) + "\"",
                cpu.samples,
                allCpu == 0 ? 0.0 : 100.0 * cpu.samples / allCpu,
                allCpu,
                nat.samples);
        if (cpu.samples == 0) {
            out.println("  (no CPU samples of the task thread: the drain was too short to profile)");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        cpu.self.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(TOP)
                .forEach(e -> rows.add(List.of(e.getKey(), share(e.getValue(), cpu.samples))));
        out.println("  top methods by self time (CPU samples of the task thread):");
        TextTable.draw(List.of("method", "self"), rows).forEach(l -> out.println("  " + l));
        rows.clear();
        for (String c : order(cpu, nat)) {
            rows.add(List.of(
                    c,
                    share(cpu.components.getOrDefault(c, 0), cpu.samples),
                    share(nat.components.getOrDefault(c, 0), nat.samples)));
        }
        out.println("  the task thread's samples by the innermost component on the stack:");
        TextTable.draw(List.of("component", "CPU", "native"), rows).forEach(l -> out.println("  " + l));
    }

    /**
     * The task thread's id. JFR keeps the name a thread had when the recording first saw it, and Connect names a task's
     * thread {@code task-thread-<connector>-<n>} only once the task runs, after the pool created it under another name;
     * so when no thread carries that name, it is the busiest thread with a {@code WorkerSinkTask} on its stack (the
     * bench's sink is the only busy sink task while it drains). -1 when there is none.
     */
    private static long taskThread(Map<Long, List<Sample>> byThread, Map<Long, String> names, String prefix) {
        long best = -1;
        int most = 0;
        for (Map.Entry<Long, List<Sample>> e : byThread.entrySet()) {
            if (names.get(e.getKey()).startsWith(prefix)) {
                return e.getKey();
            }
            boolean sinkTask = e.getValue().stream()
                    .anyMatch(x -> x.frames().stream()
                            .anyMatch(f -> f.getMethod() != null
                                    && f.getMethod()
                                            .getType()
                                            .getName()
                                            .equals("org.apache.kafka.connect.runtime.WorkerSinkTask")));
            if (sinkTask && e.getValue().size() > most) {
                most = e.getValue().size();
                best = e.getKey();
            }
        }
        return best;
    }

    private static List<String> order(Tally cpu, Tally nat) {
        List<String> names = new ArrayList<>(COMPONENTS.keySet());
        for (Tally t : List.of(cpu, nat)) {
            t.components.keySet().stream().filter(c -> !names.contains(c)).forEach(names::add);
        }
        return names;
    }

    private static String component(List<RecordedFrame> frames, boolean truncated) {
        for (RecordedFrame f : frames) {
            String method = name(f);
            for (Map.Entry<String, List<String>> c : COMPONENTS.entrySet()) {
                if (c.getValue().stream().anyMatch(method::startsWith)) {
                    return c.getKey();
                }
            }
        }
        return truncated ? "(stack cut off before a known frame)" : "Connect runtime, JDK and the rest";
    }

    private static String name(RecordedFrame f) {
        return f.getMethod() == null
                ? "?"
                : f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String share(int n, int total) {
        return total == 0 ? "-" : String.format("%.1f%% (%,d)", 100.0 * n / total, n);
    }
}
