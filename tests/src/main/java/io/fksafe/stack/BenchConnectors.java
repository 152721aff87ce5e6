package io.fksafe.stack;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The connector configs the bench creates: the shipped ones pointed at the bench's servers and topics. */
final class BenchConnectors {

    private static final String FKSAFE_CONVERTER = "io.fksafe.json.DebeziumJsonConverter";
    private static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";

    private final Stack stack;
    /** "fksafe" (DebeziumJsonConverter) or "json" (Kafka's JsonConverter), for the fksafe sink. */
    private final String converter;
    /** fksafe sink settings given on the command line ({@code --sink-option=KEY=VALUE}), over the shipped ones. */
    private final Map<String, String> sinkOptions;

    BenchConnectors(Stack stack, String converter, Map<String, String> sinkOptions) {
        this.stack = stack;
        this.converter = converter;
        this.sinkOptions = sinkOptions;
    }

    /** The shipped fksafe sink config, pointed at the bench topic and target, with the chosen converter. */
    Map<String, String> fksafeSink(String topic, int targetPort) throws IOException {
        ConnectorConfig shipped = ConnectorConfig.load(
                stack.configDir().resolve(Pipeline.SINK_FILE), stack.env().vars());
        Map<String, String> fk = new LinkedHashMap<>(shipped.config());
        fk.put("topics", topic);
        fk.put("connection.url", "jdbc:mariadb://127.0.0.1:" + targetPort + "/");
        fk.put("connection.user", LocalStack.USER);
        fk.put("connection.password", "${env:TARGET_PASSWORD}");
        String conv = converter.equals("fksafe") ? FKSAFE_CONVERTER : JSON_CONVERTER;
        fk.put("key.converter", conv);
        fk.put("value.converter", conv);
        fk.put("value.converter.replace.null.with.default", "false");
        fk.putAll(sinkOptions);
        return fk;
    }

    /** {@link #sourceConfig} with every topic it writes (rows, markers, schema changes) routed into {@code topic}. */
    Map<String, String> oneTopicSourceConfig(int port, String prefix, String topic, int n) throws IOException {
        Map<String, String> c = sourceConfig(port, prefix, n);
        c.put("transforms", "route");
        c.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
        c.put("transforms.route.regex", prefix + "(\\..*)?");
        c.put("transforms.route.replacement", topic);
        return c;
    }

    /** A Debezium MariaDB source on the bench source: the shipped config without its router, under {@code prefix}. */
    Map<String, String> sourceConfig(int port, String prefix, int n) throws IOException {
        ConnectorConfig shipped = ConnectorConfig.load(
                stack.configDir().resolve(Pipeline.SOURCE_FILE), stack.env().vars());
        Map<String, String> c = new LinkedHashMap<>(shipped.config());
        c.remove("transforms");
        c.remove("transforms.route.type");
        c.remove("transforms.route.regex");
        c.remove("transforms.route.replacement");
        c.put("database.hostname", "127.0.0.1");
        c.put("database.port", Integer.toString(port));
        c.put("database.user", LocalStack.USER);
        c.put("database.password", "${env:SOURCE_PASSWORD}");
        c.put("database.server.id", Integer.toString(284_000 + n));
        c.put("topic.prefix", prefix);
        c.put("database.include.list", BenchWorkload.DB);
        c.put("schema.history.internal.kafka.topic", prefix + ".schema-history");
        return c;
    }

    /** Debezium's JDBC sink with the settings the comparison IT gives it, into the bench database. */
    static Map<String, String> jdbcSink(int targetPort, String topics, String batch, boolean fkChecksOff) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector");
        c.put("tasks.max", "1");
        c.put("topics", topics);
        c.put(
                "connection.url",
                "jdbc:mariadb://127.0.0.1:" + targetPort + "/" + BenchWorkload.DB
                        + (fkChecksOff ? "?sessionVariables=foreign_key_checks=0" : ""));
        c.put("connection.username", LocalStack.USER);
        c.put("connection.password", "${env:TARGET_PASSWORD}");
        c.put("insert.mode", "upsert");
        c.put("delete.enabled", "true");
        c.put("primary.key.mode", "record_key");
        c.put("schema.evolution", "none");
        c.put("batch.size", batch);
        c.put("consumer.override.max.poll.records", batch.equals("1") ? "500" : batch);
        c.put("collection.name.format", "${source.table}");
        c.put("key.converter", JSON_CONVERTER);
        c.put("value.converter", JSON_CONVERTER);
        return c;
    }
}
