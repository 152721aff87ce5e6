package io.fksafe.stack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A process that outlives the command that started it: output appended to a log file, stdin from /dev/null, in its
 * own session when {@code setsid} exists (so a Ctrl-C or a closed terminal does not reach it), its PID in a file.
 * It is found again, and stopped, only by that PID and only if the process's command line still carries the marker
 * it was started with (a PID can be reused by an unrelated process).
 */
public final class BackgroundProcess {

    private static final boolean HAS_SETSID =
            Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"));

    private final String name;
    private final Path pidFile;
    private final String marker;
    private Process started;

    /**
     * @param marker a string the process's command line contains (e.g. its data directory), checked before
     *               trusting a PID file
     */
    public BackgroundProcess(String name, Path pidFile, String marker) {
        this.name = name;
        this.pidFile = pidFile;
        this.marker = marker;
    }

    public String name() {
        return name;
    }

    /** The running process from the PID file, if it is still ours. */
    public Optional<ProcessHandle> running() {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(this::isOurs);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private boolean isOurs(ProcessHandle p) {
        Path proc = Path.of("/proc", Long.toString(p.pid()), "cmdline");
        if (Files.exists(proc)) { // Linux: the whole command line (ProcessHandle.Info cuts it at 4 KiB)
            try {
                return new String(Files.readAllBytes(proc)).replace('\0', ' ').contains(marker);
            } catch (IOException e) {
                return false;
            }
        }
        return p.info().commandLine().map(c -> c.contains(marker)).orElse(false);
    }

    /** Starts {@code command} in the background, appending its output to {@code log}; returns its PID. */
    public long start(List<String> command, Map<String, String> env, Path workDir, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        Files.createDirectories(pidFile.getParent());
        List<String> full = new ArrayList<>();
        if (HAS_SETSID) {
            full.add("setsid"); // a new session: not a member of the terminal's process group
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full)
                .directory(workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        started = p;
        Files.writeString(pidFile, Long.toString(p.pid()) + "\n");
        return p.pid();
    }

    /**
     * Whether the process exited, so a caller waiting for it can stop early. For a process this JVM started, by its
     * handle: right after the start its command line may not show the marker yet (it is still being exec'd).
     */
    public boolean died() {
        return started != null ? !started.isAlive() : running().isEmpty();
    }

    /** SIGTERM, wait for a clean shutdown, then SIGKILL; removes the PID file. Returns whether it was running. */
    public boolean stop(Duration grace) {
        Optional<ProcessHandle> p = running();
        if (p.isEmpty()) {
            deletePidFile();
            return false;
        }
        ProcessHandle h = p.get();
        h.destroy();
        try {
            h.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception timeoutOrInterrupt) {
            h.destroyForcibly();
            try {
                h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // reported as stopped; the PID file goes either way
            }
        }
        deletePidFile();
        return true;
    }

    private void deletePidFile() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // a stale PID file is re-checked against the marker next time
        }
    }
}
