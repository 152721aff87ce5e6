package io.fksafe.stack;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

/** The Kafka Connect REST calls the launcher and the tests make; every call goes through the worker's REST API. */
public final class ConnectRest {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ConnectRest(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public String url() {
        return baseUrl;
    }

    /** Whether the worker answers {@code GET /connectors} (it does only once it joined its group). */
    public boolean ready() {
        try {
            return call("GET", "/connectors", null).status == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code PUT /connectors/{name}/config}: creates the connector or updates its config (idempotent). */
    public JsonNode putConfig(String name, Map<String, String> config) throws IOException {
        return ok(call("PUT", "/connectors/" + enc(name) + "/config", config), "PUT config of " + name);
    }

    public JsonNode config(String name) throws IOException {
        return ok(call("GET", "/connectors/" + enc(name) + "/config", null), "GET config of " + name);
    }

    /** {@code GET /connectors/{name}/tasks}: the task configs the connector generated, as the worker stored them. */
    public JsonNode tasks(String name) throws IOException {
        return ok(call("GET", "/connectors/" + enc(name) + "/tasks", null), "GET tasks of " + name);
    }

    public List<String> connectors() throws IOException {
        List<String> out = new ArrayList<>();
        ok(call("GET", "/connectors", null), "GET /connectors").forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The status, or null if there is no such connector. */
    public JsonNode status(String name) throws IOException {
        Response r = call("GET", "/connectors/" + enc(name) + "/status", null);
        return r.status == 404 ? null : ok(r, "GET status of " + name);
    }

    public void stop(String name) throws IOException {
        ok(call("PUT", "/connectors/" + enc(name) + "/stop", null), "stop " + name);
    }

    /** Pauses the connector's tasks: they keep their partitions and metrics but are handed no records. */
    public void pause(String name) throws IOException {
        ok(call("PUT", "/connectors/" + enc(name) + "/pause", null), "pause " + name);
    }

    public void resume(String name) throws IOException {
        ok(call("PUT", "/connectors/" + enc(name) + "/resume", null), "resume " + name);
    }

    public void delete(String name) throws IOException {
        Response r = call("DELETE", "/connectors/" + enc(name), null);
        if (r.status != 404) {
            ok(r, "delete " + name);
        }
    }

    /** Restarts the connector and all its tasks. */
    public void restart(String name) throws IOException {
        ok(
                call("POST", "/connectors/" + enc(name) + "/restart?includeTasks=true&onlyFailed=false", null),
                "restart " + name);
    }

    public void restartTask(String name, int task) throws IOException {
        ok(
                call("POST", "/connectors/" + enc(name) + "/tasks/" + task + "/restart", null),
                "restart task " + task + " of " + name);
    }

    public JsonNode offsets(String name) throws IOException {
        return ok(call("GET", "/connectors/" + enc(name) + "/offsets", null), "GET offsets of " + name);
    }

    /** {@code DELETE /connectors/{name}/offsets}: the connector must be stopped. */
    public JsonNode resetOffsets(String name) throws IOException {
        return ok(call("DELETE", "/connectors/" + enc(name) + "/offsets", null), "reset offsets of " + name);
    }

    /** {@code PATCH /connectors/{name}/offsets} for a sink: one topic partition to {@code offset}. */
    public JsonNode alterSinkOffset(String name, String topic, int partition, long offset) throws IOException {
        Map<String, Object> body = Map.of(
                "offsets",
                List.of(Map.of(
                        "partition", Map.of("kafka_topic", topic, "kafka_partition", partition),
                        "offset", Map.of("kafka_offset", offset))));
        return ok(call("PATCH", "/connectors/" + enc(name) + "/offsets", body), "alter offsets of " + name);
    }

    /** {@code PATCH /connectors/{name}/offsets} with a body as {@code GET /connectors/{name}/offsets} returns it. */
    public JsonNode alterOffsets(String name, JsonNode offsets) throws IOException {
        return ok(call("PATCH", "/connectors/" + enc(name) + "/offsets", offsets), "alter offsets of " + name);
    }

    /** {@code PUT /connector-plugins/{class}/config/validate}. */
    public JsonNode validate(String connectorClass, Map<String, String> config) throws IOException {
        return ok(
                call("PUT", "/connector-plugins/" + enc(connectorClass) + "/config/validate", config),
                "validate " + connectorClass);
    }

    /** {@code GET /connector-plugins?connectorsOnly=false}: connectors, transforms, converters, predicates. */
    public JsonNode plugins() throws IOException {
        return ok(call("GET", "/connector-plugins?connectorsOnly=false", null), "GET /connector-plugins");
    }

    /** Connector state and task states, e.g. {@code RUNNING [RUNNING]}; "absent" if there is no such connector. */
    public String describe(String name) throws IOException {
        JsonNode s = status(name);
        if (s == null) {
            return "absent";
        }
        StringBuilder b = new StringBuilder(s.path("connector").path("state").asText()).append(" [");
        for (JsonNode t : s.path("tasks")) {
            b.append(b.charAt(b.length() - 1) == '[' ? "" : " ")
                    .append(t.path("state").asText());
        }
        return b.append(']').toString();
    }

    /** Waits until the connector and at least one task run; fails early, with the trace, on a FAILED task. */
    public void awaitRunning(String name, Duration timeout) throws IOException, InterruptedException {
        awaitState(name, "RUNNING", true, timeout);
    }

    public void awaitStopped(String name, Duration timeout) throws IOException, InterruptedException {
        awaitState(name, "STOPPED", false, timeout);
    }

    private void awaitState(String name, String state, boolean withTasks, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "absent";
        while (System.nanoTime() < deadline) {
            JsonNode s = status(name);
            if (s != null) {
                last = describe(name);
                String trace = failure(s);
                if (trace != null && withTasks) { // a stopped connector may still list the task that failed before
                    throw new IOException("connector " + name + " failed (" + last + "):\n" + trace);
                }
                boolean connectorOk =
                        state.equals(s.path("connector").path("state").asText());
                boolean tasksOk =
                        withTasks ? s.path("tasks").size() > 0 : s.path("tasks").isEmpty();
                for (JsonNode t : s.path("tasks")) {
                    tasksOk &= state.equals(t.path("state").asText());
                }
                if (connectorOk && tasksOk) {
                    return;
                }
            }
            TimeUnit.MILLISECONDS.sleep(300);
        }
        throw new IOException("connector " + name + " not " + state + " within " + timeout + " (last: " + last + ")");
    }

    /** The first failure trace of the connector or a task, or null. */
    public static String failure(JsonNode status) {
        if ("FAILED".equals(status.path("connector").path("state").asText())) {
            return status.path("connector").path("trace").asText("(no trace)");
        }
        for (JsonNode t : status.path("tasks")) {
            if ("FAILED".equals(t.path("state").asText())) {
                return "task " + t.path("id").asText() + ": " + t.path("trace").asText("(no trace)");
            }
        }
        return null;
    }

    private JsonNode ok(Response r, String what) throws IOException {
        if (r.status / 100 != 2) {
            throw new IOException(what + ": HTTP " + r.status + " " + r.body);
        }
        return r.body.isBlank() ? NullNode.getInstance() : JSON.readTree(r.body);
    }

    private Response call(String method, String path, Object body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(120))
                .header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(resp.statusCode(), resp.body() == null ? "" : resp.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + method + " " + path, e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private record Response(int status, String body) {}
}
