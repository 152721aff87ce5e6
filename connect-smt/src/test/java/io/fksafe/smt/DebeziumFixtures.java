package io.fksafe.smt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Loads the captured Debezium records (src/test/resources/debezium/mariadb) the way a sink worker sees them:
 * key and value through JsonConverter with schemas, headers through the worker's default SimpleHeaderConverter.
 */
final class DebeziumFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DebeziumFixtures() {}

    static List<SinkRecord> load(String name) {
        return load(name, new SimpleHeaderConverter());
    }

    static List<SinkRecord> load(String name, HeaderConverter headerConverter) {
        return load(name, headerConverter, converter(true), converter(false));
    }

    private static List<SinkRecord> load(
            String name, HeaderConverter headerConverter, JsonConverter keys, JsonConverter values) {
        JsonNode root = read(name);
        headerConverter.configure(Map.of());
        List<SinkRecord> records = new ArrayList<>();
        for (JsonNode r : root.get("records")) {
            String topic = r.get("topic").asText();
            SchemaAndValue key = keys.toConnectData(topic, bytes(r.get("key")));
            SchemaAndValue value = values.toConnectData(topic, bytes(r.get("value")));
            ConnectHeaders headers = new ConnectHeaders();
            for (JsonNode h : r.get("headers")) {
                byte[] raw =
                        h.get("value").isNull() ? null : h.get("value").asText().getBytes(StandardCharsets.UTF_8);
                SchemaAndValue hv =
                        headerConverter.toConnectHeader(topic, h.get("key").asText(), raw);
                headers.add(h.get("key").asText(), hv);
            }
            records.add(new SinkRecord(
                    topic,
                    r.get("partition").asInt(),
                    key.schema(),
                    key.value(),
                    value.schema(),
                    value.value(),
                    r.get("offset").asLong(),
                    r.get("timestamp").asLong(),
                    TimestampType.CREATE_TIME,
                    headers));
        }
        return records;
    }

    /**
     * Every fixture's records in stream (offset) order, converted as one sink task converts its stream: by one key and
     * one value converter, so the records of one schema share its Schema instance.
     */
    static List<SinkRecord> all() {
        JsonConverter keys = converter(true);
        JsonConverter values = converter(false);
        HeaderConverter headers = new SimpleHeaderConverter();
        List<SinkRecord> all = new ArrayList<>();
        for (String name : List.of(
                "snapshot",
                "insert",
                "multi-row-insert",
                "update",
                "key-change",
                "key-change-composite",
                "delete",
                "transaction",
                "rotation",
                "truncate",
                "schema-change",
                "after-schema-change")) {
            all.addAll(load(name, headers, keys, values));
        }
        all.sort(java.util.Comparator.comparingLong(SinkRecord::kafkaOffset));
        return all;
    }

    private static JsonConverter converter(boolean isKey) {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", "true"), isKey);
        return c;
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return node == null || node.isNull() ? null : JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String name) {
        // a bare name is a fixture of the default capture (with transaction metadata); "dir/name" one of another
        String path = (name.contains("/") ? "/debezium/" : "/debezium/mariadb/") + name + ".json";
        try (InputStream in = DebeziumFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
