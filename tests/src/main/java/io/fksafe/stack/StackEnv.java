package io.fksafe.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code .fksafe/stack.env}: how to reach every part of the stack, as shell variables. */
public record StackEnv(
        String sourceHost,
        int sourcePort,
        String sourceUser,
        String sourcePassword,
        String targetHost,
        int targetPort,
        String targetUser,
        String targetPassword,
        String kafkaBootstrap,
        String connectUrl,
        String sourceConnector,
        String sinkConnector) {

    public Map<String, String> vars() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("SOURCE_HOST", sourceHost);
        m.put("SOURCE_PORT", Integer.toString(sourcePort));
        m.put("SOURCE_USER", sourceUser);
        m.put("SOURCE_PASSWORD", sourcePassword);
        m.put("TARGET_HOST", targetHost);
        m.put("TARGET_PORT", Integer.toString(targetPort));
        m.put("TARGET_USER", targetUser);
        m.put("TARGET_PASSWORD", targetPassword);
        m.put("KAFKA_BOOTSTRAP", kafkaBootstrap);
        m.put("CONNECT_URL", connectUrl);
        m.put("SOURCE_CONNECTOR", sourceConnector);
        m.put("SINK_CONNECTOR", sinkConnector);
        return m;
    }

    /**
     * What the Connect worker needs in its environment for the {@code ${env:...}} references of {@code config/*.json}
     * (the same names as in {@code stack.env}).
     */
    public Map<String, String> workerEnv() {
        return Map.of("SOURCE_PASSWORD", sourcePassword, "TARGET_PASSWORD", targetPassword);
    }

    @Override
    public String toString() {
        return "StackEnv[source " + sourceUser + "@" + sourceHost + ":" + sourcePort + ", target " + targetUser + "@"
                + targetHost + ":" + targetPort + ", " + connectUrl + "]"; // never the passwords
    }

    /** Written readable by its owner only: it holds the database passwords, for {@code ./fksafe sql}. */
    public void write(Path file) throws IOException {
        StringBuilder b = new StringBuilder("# written by ./fksafe up; source it: set -a; . ")
                .append(file.getFileName())
                .append("; set +a\n");
        vars().forEach((k, v) -> b.append(k).append('=').append(quote(v)).append('\n'));
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(file, b.toString());
    }

    private static String quote(String v) {
        return v.matches("[A-Za-z0-9_./:@-]*") ? v : "'" + v.replace("'", "'\\''") + "'";
    }
}
