package io.fksafe.sink.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import io.fksafe.sink.FkSafeSinkConnector;
import io.fksafe.sink.metadata.TableId;
import io.fksafe.sink.testing.TestDatabase;

/** The ConfigDef, the cross-field rules reported on every key involved, and the connection probe in validate(). */
class ConfigTest {

    private static Map<String, String> base() {
        TestDatabase db = TestDatabase.get();
        Map<String, String> p = new HashMap<>();
        p.put("connection.url", db.url());
        p.put("connection.user", db.user());
        p.put("connection.password", db.password());
        return p;
    }

    private static Map<String, List<String>> errors(Map<String, String> props) {
        return new FkSafeSinkConnector()
                .validate(props).configValues().stream()
                        .filter(v -> !v.errorMessages().isEmpty())
                        .collect(Collectors.toMap(ConfigValue::name, ConfigValue::errorMessages));
    }

    @Test
    void validConfig_probesTheTarget_noErrors() {
        assertEquals(Map.of(), errors(base()));
    }

    @Test
    void passwordIsAPasswordType_andNeverPrinted() {
        assertEquals(
                ConfigDef.Type.PASSWORD,
                FkSafeSinkConfig.CONFIG_DEF.configKeys().get("connection.password").type);
        Map<String, String> p = base();
        p.put("connection.password", "s3cret-value");
        assertTrue(!new FkSafeSinkConfig(p).toString().contains("s3cret-value"));
    }

    @Test
    void statementLargerThanBatch_isReportedOnBothKeys() {
        Map<String, String> p = base();
        p.put("batch.max.rows", "100");
        p.put("statement.max.rows", "500");
        Map<String, List<String>> e = errors(p);
        assertTrue(e.get("batch.max.rows").get(0).contains("statement.max.rows"), e.toString());
        assertTrue(e.get("statement.max.rows").get(0).contains("batch.max.rows"), e.toString());
        // Connect's refusal of a PUT lists all keys' errors together: each reads from its own key, not twice the same
        assertTrue(e.get("batch.max.rows").get(0).startsWith("'batch.max.rows' (100)"), e.toString());
        assertTrue(e.get("statement.max.rows").get(0).startsWith("'statement.max.rows' (500)"), e.toString());
    }

    @Test
    void statementOverTheDefaultBatch_isReported_byTheConfigDefsDefault() {
        int defaultBatch = (Integer) FkSafeSinkConfig.CONFIG_DEF.configKeys().get("batch.max.rows").defaultValue;
        Map<String, String> p = base();
        p.put("statement.max.rows", String.valueOf(defaultBatch));
        assertEquals(Map.of(), errors(p));
        p.put("statement.max.rows", String.valueOf(defaultBatch + 1));
        assertTrue(
                errors(p).get("statement.max.rows").get(0).contains("(" + defaultBatch + ")"),
                errors(p).toString());
    }

    @Test
    void tidbDialectWithMariadbUrl_isReportedOnBothKeys() {
        Map<String, String> p = base();
        p.put("target.dialect", "tidb");
        Map<String, List<String>> e = errors(p);
        assertTrue(e.get("target.dialect").get(0).startsWith("'target.dialect'"), e.toString());
        assertTrue(e.get("connection.url").get(0).startsWith("'connection.url'"), e.toString());
        assertTrue(e.get("connection.url").get(0).contains("jdbc:mysql://"), e.toString());
    }

    @Test
    void dialectNotMatchingTheTarget_isFoundByTheProbe() {
        Map<String, String> p = base();
        p.put("target.dialect", "mysql");
        Map<String, List<String>> e = errors(p);
        assertTrue(e.get("target.dialect").get(0).contains("MariaDB"), e.toString());
    }

    @Test
    void unreachableTarget_isReportedOnUrlUserAndPassword() {
        Map<String, String> p = base();
        p.put("connection.url", "jdbc:mariadb://127.0.0.1:1/");
        Map<String, List<String>> e = errors(p);
        assertTrue(
                e.keySet().containsAll(List.of("connection.url", "connection.user", "connection.password")),
                e.toString());
        assertTrue(e.get("connection.url").get(0).contains("cannot connect"), e.toString());
    }

    @Test
    void wrongUrlScheme_isReported_withoutProbing() {
        Map<String, String> p = base();
        p.put("connection.url", "jdbc:postgresql://127.0.0.1/");
        assertTrue(errors(p).get("connection.url").get(0).contains("jdbc:mysql:"));
    }

    @Test
    void badEnumsAndMappings_nameTheKeyAndTheFix() {
        Map<String, String> p = base();
        p.put("safe.mode", "sometimes");
        assertTrue(errors(p).containsKey("safe.mode"));
        Map<String, String> m = base();
        m.put("table.mapping", "shop.orders");
        ConfigException e = assertThrows(ConfigException.class, () -> new FkSafeSinkConfig(m));
        assertTrue(
                e.getMessage().contains("table.mapping") && e.getMessage().contains("source=target"), e.getMessage());
        Map<String, String> q = base();
        q.put("checkpoint.table", "no_database");
        e = assertThrows(ConfigException.class, () -> new FkSafeSinkConfig(q));
        assertTrue(e.getMessage().contains("database.table"), e.getMessage());
    }

    @Test
    void tableMapping_exactEntriesWinOverDatabaseWildcards_unmappedKeepTheirNames() {
        TableMapping m = TableMapping.parse(List.of("shop.*=replica.*", "shop.orders=archive.orders_v2"));
        assertEquals(new TableId("archive", "orders_v2"), m.target("shop", "orders"));
        assertEquals(new TableId("replica", "lines"), m.target("SHOP", "lines"));
        assertEquals(new TableId("other", "t"), m.target("other", "t"));
        assertThrows(IllegalArgumentException.class, () -> TableMapping.parse(List.of("shop.*=replica.t")));
        assertEquals("replica", m.targetDatabase("Shop"));
        assertEquals("other", m.targetDatabase("other"));
    }

    @Test
    void ddlMode_defaultsToApply_andTakesApplySkipFail() {
        assertEquals(DdlMode.APPLY, new FkSafeSinkConfig(base()).ddlMode);
        for (String mode : List.of("apply", "SKIP", "fail")) {
            Map<String, String> p = base();
            p.put("ddl.mode", mode);
            assertEquals(DdlMode.parse(mode), new FkSafeSinkConfig(p).ddlMode);
        }
        Map<String, String> bad = base();
        bad.put("ddl.mode", "maybe");
        assertTrue(errors(bad).containsKey("ddl.mode"));
    }

    private static final String JSON = "org.apache.kafka.connect.json.JsonConverter";

    @Test
    void jsonConverterReplacingNullWithDefault_isRejected_namingTheKeyAndTheFix() {
        Map<String, String> p = base();
        p.put("value.converter", JSON);
        p.put("key.converter", JSON);
        p.put("key.converter.replace.null.with.default", "false");
        Map<String, List<String>> e = errors(p);
        assertEquals(List.of("value.converter.replace.null.with.default"), List.copyOf(e.keySet()), e.toString());
        String msg = e.get("value.converter.replace.null.with.default").get(0);
        assertTrue(
                msg.contains("not set")
                        && msg.contains("DEFAULT")
                        && msg.contains("'false'")
                        && msg.contains("source connector"),
                msg);

        p.put("value.converter.replace.null.with.default", "true");
        p.put("key.converter.replace.null.with.default", "TRUE");
        e = errors(p);
        assertTrue(
                e.containsKey("value.converter.replace.null.with.default")
                        && e.containsKey("key.converter.replace.null.with.default"),
                e.toString());
        // start() refuses it too: a connector saved before this rule existed is not validated again
        ConfigException refused = assertThrows(ConfigException.class, () -> new FkSafeSinkConnector().start(p));
        assertTrue(refused.getMessage().contains("replace.null.with.default"), refused.getMessage());
    }

    @Test
    void fksafeJsonConverter_followsTheSameRule() {
        Map<String, String> p = base();
        p.put("value.converter", "io.fksafe.json.DebeziumJsonConverter");
        Map<String, List<String>> e = errors(p);
        assertEquals(List.of("value.converter.replace.null.with.default"), List.copyOf(e.keySet()), e.toString());
        p.put("value.converter.replace.null.with.default", "false");
        assertEquals(Map.of(), errors(p));
    }

    @Test
    void jsonConverterKeepingNulls_orConvertersLeftToTheWorker_passValidation() {
        Map<String, String> p = base();
        p.put("value.converter", " " + JSON);
        p.put("value.converter.replace.null.with.default", "False");
        p.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        assertEquals(Map.of(), errors(p));
        assertEquals(Map.of(), errors(base()), "the worker's converters cannot be seen from here: not an error");
    }
}
