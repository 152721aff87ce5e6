package io.fksafe.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A connector file from {@code config/}: {@code {"name": ..., "config": {...}}} as {@code POST /connectors} takes it,
 * with {@code ${VAR}} placeholders filled from the stack's variables (the names of {@code .fksafe/stack.env}; the
 * same file works with {@code envsubst}). Config provider references such as {@code ${env:TARGET_PASSWORD}} do not
 * match {@code ${VAR}} and stay as they are: only the Connect worker resolves them.
 */
public record ConnectorConfig(String name, Map<String, String> config) {

    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Z0-9_]+)}");

    public static ConnectorConfig load(Path file, Map<String, String> vars) throws IOException {
        JsonNode root = ConnectRest.JSON.readTree(Files.readString(file));
        if (!root.hasNonNull("name") || !root.path("config").isObject()) {
            throw new IOException(file + ": expected {\"name\": ..., \"config\": {...}}");
        }
        Map<String, String> config = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("config").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            config.put(e.getKey(), substitute(file, e.getValue().asText(), vars));
        }
        return new ConnectorConfig(substitute(file, root.get("name").asText(), vars), config);
    }

    static String substitute(Path file, String value, Map<String, String> vars) throws IOException {
        Matcher m = VAR.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = vars.get(m.group(1));
            if (v == null) {
                throw new IOException(file + ": no value for ${" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A copy with some keys changed (e.g. the lab's forced safe mode). */
    public ConnectorConfig with(Map<String, String> overrides) {
        Map<String, String> c = new LinkedHashMap<>(config);
        c.putAll(overrides);
        return new ConnectorConfig(name, c);
    }

    public ConnectorConfig named(String newName) {
        return new ConnectorConfig(newName, config);
    }

    public String get(String key) {
        return config.get(key);
    }
}
