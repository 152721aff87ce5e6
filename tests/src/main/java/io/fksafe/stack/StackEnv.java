package io.fksafe.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code .fksafe/stack.env}: how to reach every part of the stack, as shell variables. */
public record StackEnv(String sourceHost, int sourcePort, String sourceUser, String sourcePassword,
                       String targetHost, int targetPort, String targetUser, String targetPassword,
                       String kafkaBootstrap, String connectUrl, String sourceConnector, String sinkConnector) {

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

    public void write(Path file) throws IOException {
        StringBuilder b = new StringBuilder("# written by ./fksafe up; source it: set -a; . ").append(file.getFileName())
                .append("; set +a\n");
        vars().forEach((k, v) -> b.append(k).append('=').append(quote(v)).append('\n'));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, b.toString());
    }

    private static String quote(String v) {
        return v.matches("[A-Za-z0-9_./:@-]*") ? v : "'" + v.replace("'", "'\\''") + "'";
    }
}
