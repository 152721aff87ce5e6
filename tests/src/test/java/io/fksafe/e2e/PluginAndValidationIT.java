package io.fksafe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fksafe.stack.ConnectorConfig;
import io.fksafe.stack.Pipeline;

/**
 * The sink's plugin archive loads from plugin.path with {@code plugin.discovery=service_load}, and the REST validate
 * endpoint ({@code PUT /connector-plugins/{class}/config/validate}) reports configuration errors on the keys involved.
 */
class PluginAndValidationIT {

    private static final String SINK = "io.fksafe.sink.FkSafeSinkConnector";
    private static EmbeddedStack stack;
    private static ConnectorConfig sink;
    private static ConnectorConfig source;

    @BeforeAll
    static void up() throws IOException {
        stack = EmbeddedStack.start("plugins");
        sink = ConnectorConfig.load(
                stack.configDir().resolve(Pipeline.SINK_FILE), stack.env().vars());
        source = ConnectorConfig.load(
                stack.configDir().resolve(Pipeline.SOURCE_FILE), stack.env().vars());
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void pluginArchive_isFoundByServiceLoaderDiscovery_sinkAndTransform() throws IOException {
        Map<String, String> types = new HashMap<>();
        for (JsonNode p : stack.connect().plugins()) {
            types.put(p.path("class").asText(), p.path("type").asText());
        }
        assertEquals("sink", types.get(SINK), "plugins: " + types.keySet());
        assertEquals("transformation", types.get("io.fksafe.smt.DebeziumToChangeRecord"));
        assertEquals("transformation", types.get("io.fksafe.smt.DebeziumToChangeRecordWithMetrics"));
        assertEquals("converter", types.get("io.fksafe.json.DebeziumJsonConverter"));
        assertEquals("source", types.get("io.debezium.connector.mariadb.MariaDbConnector"));
        assertEquals("sink", types.get("io.debezium.connector.jdbc.JdbcSinkConnector"));
    }

    @Test
    void pluginArchive_carriesTheSmtAndBothJdbcDrivers_andNoKafkaOrSlf4jJars() throws IOException {
        Path lib = EmbeddedStack.PLUGINS.resolve("fksafe-sink/lib");
        List<String> jars = new ArrayList<>();
        try (Stream<Path> s = Files.list(lib)) {
            s.forEach(p -> jars.add(p.getFileName().toString()));
        }
        for (String prefix :
                List.of("connect-fk-safe-sink-", "connect-smt-", "mariadb-java-client-", "mysql-connector-j-")) {
            assertTrue(jars.stream().anyMatch(j -> j.startsWith(prefix)), prefix + " in " + jars);
        }
        for (String prefix : List.of(
                "kafka",
                "connect-api",
                "connect-runtime",
                "connect-transforms",
                "connect-json",
                "slf4j",
                "jackson")) { // the converter uses the worker's JsonConverter and Jackson
            assertFalse(jars.stream().anyMatch(j -> j.startsWith(prefix)), "no " + prefix + "* in " + jars);
        }
        assertEquals(SINK, service(lib, "connect-fk-safe-sink-", "org.apache.kafka.connect.sink.SinkConnector"));
        assertEquals(
                "io.fksafe.smt.DebeziumToChangeRecord\nio.fksafe.smt.DebeziumToChangeRecordWithMetrics",
                service(lib, "connect-smt-", "org.apache.kafka.connect.transforms.Transformation"));
    }

    @Test
    void theWorkersOwnClassPath_hasNoJdbcDriver() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.mariadb.jdbc.Driver"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.mysql.cj.jdbc.Driver"));
    }

    @Test
    void validate_theShippedConfigs_haveNoErrors() throws IOException {
        assertEquals(Map.of(), errors(SINK, sink.config()));
        assertEquals(Map.of(), errors(source.get("connector.class"), source.config()));
    }

    @Test
    void validate_missingUrl_namesTheKey() throws IOException {
        Map<String, String> c = new HashMap<>(sink.config());
        c.remove("connection.url");
        assertTrue(
                errors(SINK, c).containsKey("connection.url"), errors(SINK, c).toString());
    }

    @Test
    void validate_statementLargerThanBatch_reportedOnBothKeys() throws IOException {
        Map<String, List<String>> e = errors(
                SINK,
                sink.with(Map.of("statement.max.rows", "600", "batch.max.rows", "100"))
                        .config());
        assertTrue(e.get("statement.max.rows").get(0).contains("'batch.max.rows'"), e.toString());
        assertTrue(e.containsKey("batch.max.rows"), e.toString());
    }

    @Test
    void validate_tidbDialectWithMariadbUrl_reportedOnBothKeys() throws IOException {
        Map<String, List<String>> e =
                errors(SINK, sink.with(Map.of("target.dialect", "tidb")).config());
        assertTrue(e.containsKey("target.dialect") && e.containsKey("connection.url"), e.toString());
    }

    @Test
    void validate_unknownValues_ofTheSinkAndOfTheTransform() throws IOException {
        Map<String, List<String>> e = errors(
                SINK,
                sink.with(Map.of("safe.mode", "sometimes", "transforms.fksafe.safe.mode", "sometimes"))
                        .config());
        assertTrue(e.containsKey("safe.mode"), e.toString());
        assertTrue(e.containsKey("transforms.fksafe.safe.mode"), e.toString());
    }

    /** Through the worker's REST API, which merges the sink's own result with Connect's checks of the converters. */
    @Test
    void validate_jsonConverterThatWouldTurnNullsIntoDefaults_reportedOnItsKey() throws IOException {
        Map<String, String> c = new HashMap<>(sink.config());
        c.remove("value.converter.replace.null.with.default");
        Map<String, List<String>> e = errors(SINK, c);
        assertEquals(List.of("value.converter.replace.null.with.default"), List.copyOf(e.keySet()), e.toString());
        assertTrue(e.get("value.converter.replace.null.with.default").get(0).contains("'false'"), e.toString());
    }

    @Test
    void validate_unreachableTarget_reportsTheConnectionError() throws IOException {
        int closed = EmbeddedStack.freePort();
        Map<String, List<String>> e = errors(
                SINK,
                sink.with(Map.of("connection.url", "jdbc:mariadb://127.0.0.1:" + closed + "/"))
                        .config());
        assertTrue(e.get("connection.url").get(0).contains("cannot connect to the target"), e.toString());
    }

    @Test
    void validate_wrongPassword_reportsTheConnectionErrorOnTheCredentials() throws IOException {
        Map<String, List<String>> e =
                errors(SINK, sink.with(Map.of("connection.password", "wrong")).config());
        assertTrue(e.containsKey("connection.password") && e.containsKey("connection.user"), e.toString());
    }

    /** Field name -> error messages, from the REST validate response. */
    private static Map<String, List<String>> errors(String connectorClass, Map<String, String> config)
            throws IOException {
        Map<String, String> withName = new HashMap<>(config);
        withName.putIfAbsent("name", "validate-me"); // the validate endpoint requires it like PUT /config does
        JsonNode r = stack.connect().validate(connectorClass, withName);
        Map<String, List<String>> out = new HashMap<>();
        for (JsonNode c : r.path("configs")) {
            List<String> msgs = new ArrayList<>();
            c.path("value").path("errors").forEach(m -> msgs.add(m.asText()));
            if (!msgs.isEmpty()) {
                out.put(c.path("value").path("name").asText(), msgs);
            }
        }
        assertEquals(
                r.path("error_count").asInt(),
                out.values().stream().mapToInt(List::size).sum(),
                r.toString());
        return out;
    }

    private static String service(Path lib, String jarPrefix, String service) throws IOException {
        try (Stream<Path> s = Files.list(lib)) {
            Path jar = s.filter(p -> p.getFileName().toString().startsWith(jarPrefix))
                    .findFirst()
                    .orElseThrow();
            try (JarFile f = new JarFile(jar.toFile())) {
                return new String(f.getInputStream(f.getEntry("META-INF/services/" + service))
                                .readAllBytes())
                        .trim();
            }
        }
    }
}
