package io.fksafe.sink.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Converter settings that change values before the sink sees them. Kafka's JsonConverter puts a column's DEFAULT in
 * place of a NULL ({@code replace.null.with.default}, true unless set) whenever the schema carries a default, and
 * Debezium puts every column's DEFAULT in its schemas: a NULL would reach the target as the default, silently.
 *
 * <p>Only the converters set on this connector can be checked: Connect passes {@code Connector.validate} and
 * {@code start} the connector's own keys, never the worker's {@code key.converter}/{@code value.converter}, and never
 * the source connector's (which serializes the value first and must say {@code false} too).
 */
public final class ConverterRules {

    static final String JSON_CONVERTER = "org.apache.kafka.connect.json.JsonConverter";
    /** fksafe's faster reader of the same envelopes: same keys and defaults, so the same rule. */
    static final String FKSAFE_JSON_CONVERTER = "io.fksafe.json.DebeziumJsonConverter";

    static final String REPLACE_NULL = "replace.null.with.default";

    private ConverterRules() {}

    /** (key, message) pairs, each keyed by the setting to change. */
    public static List<String[]> problems(Map<String, String> props) {
        List<String[]> out = new ArrayList<>();
        for (String side : List.of("key", "value")) {
            String converter = side + ".converter";
            String cls = props.get(converter);
            if (cls == null || !(cls.trim().equals(JSON_CONVERTER) || cls.trim().equals(FKSAFE_JSON_CONVERTER))) {
                continue;
            }
            String key = converter + "." + REPLACE_NULL;
            String value = props.get(key);
            if (value == null || !value.trim().toLowerCase(Locale.ROOT).equals("false")) {
                out.add(new String[] {
                    key,
                    "'" + converter + "' is " + cls.trim() + " and '" + key + "' is "
                            + (value == null ? "not set (its default is true)" : "'" + value + "'")
                            + ": a NULL in a column with a DEFAULT would be written to the target as that DEFAULT. Set '"
                            + key
                            + "' to 'false' here, and on the source connector too (docs/deploy.md, 'Data fidelity')"
                });
            }
        }
        return out;
    }

    /** Whether a converter is left to the worker's settings, which the connector cannot see. */
    public static boolean usesWorkerConverter(Map<String, String> props) {
        return props.get("key.converter") == null || props.get("value.converter") == null;
    }
}
