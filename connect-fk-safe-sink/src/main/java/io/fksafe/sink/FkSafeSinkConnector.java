package io.fksafe.sink;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.sink.config.ConfigProblems;
import io.fksafe.sink.config.ConverterRules;
import io.fksafe.sink.config.FkSafeSinkConfig;
import io.fksafe.sink.config.Redaction;
import io.fksafe.sink.config.SafeMode;
import io.fksafe.sink.dialect.DialectKind;
import io.fksafe.sink.dialect.ServerVersion;
import io.fksafe.sink.replay.OffsetRewind;
import io.fksafe.sink.target.TargetSession;

/**
 * Applies fksafe change records to TiDB, MySQL or MariaDB with foreign keys enforced. One task per source topic
 * partition keeps the source order; all tables of a source database belong in one single-partition topic.
 */
public class FkSafeSinkConnector extends SinkConnector {

    private static final Logger log = LoggerFactory.getLogger(FkSafeSinkConnector.class);

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        this.props = Map.copyOf(props);
        new FkSafeSinkConfig(props); // fail fast on a bad config
        // validate() reports these too; a connector saved before this rule existed is not validated again
        for (String[] problem : ConverterRules.problems(props)) {
            throw new ConfigException(problem[0], props.get(problem[0]), problem[1]);
        }
        if (ConverterRules.usesWorkerConverter(props)) {
            log.warn("no 'key.converter'/'value.converter' on this connector: the worker's are used, and the connector "
                    + "cannot check them. With JsonConverter, make sure the worker sets "
                    + "'value.converter.replace.null.with.default=false', or a NULL arrives as the column's DEFAULT");
        }
        if ("all".equalsIgnoreCase(props.get("errors.tolerance"))
                && props.get("errors.deadletterqueue.topic.name") == null) {
            log.warn(
                    "'errors.tolerance' is 'all' without a dead-letter topic: records a converter or transform rejects are "
                            + "dropped. Set 'errors.deadletterqueue.topic.name', or 'errors.tolerance' to 'none'");
        }
    }

    @Override
    public Class<? extends Task> taskClass() {
        return FkSafeSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> out = new ArrayList<>(maxTasks);
        for (int i = 0; i < maxTasks; i++) {
            out.add(new HashMap<>(props));
        }
        return out;
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return FkSafeSinkConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return Version.get();
    }

    /**
     * {@code PATCH}/{@code DELETE /connectors/{name}/offsets} (connector stopped): the task resumes from the target's
     * checkpoint, not from the consumer group, so the checkpoint moves here too. Moving back opens a replay window up
     * to the old checkpoint, applied in safe mode. Nothing changes if the target cannot be reached.
     */
    @Override
    public boolean alterOffsets(Map<String, String> connectorConfig, Map<TopicPartition, Long> offsets) {
        FkSafeSinkConfig c = new FkSafeSinkConfig(connectorConfig);
        String name = connectorConfig.getOrDefault("name", FkSafeSinkTask.DEFAULT_CONNECTOR_NAME);
        try (TargetSession session = new TargetSession(c)) {
            List<OffsetRewind.Change> changes =
                    new OffsetRewind(c.checkpointTable, name).apply(session.connection(), offsets);
            for (OffsetRewind.Change change : changes) {
                log.info("connector '{}' offsets altered through the REST API: {}", name, change);
                if (change.replayUntil() != null && c.safeMode == SafeMode.NEVER) {
                    log.warn(
                            "connector '{}': '{}' is 'never', so the replay of {} will stop at the first FK conflict "
                                    + "instead of resolving it; set '{}' to 'auto' for the replay",
                            name,
                            FkSafeSinkConfig.SAFE_MODE,
                            change.partition(),
                            FkSafeSinkConfig.SAFE_MODE);
                }
            }
        } catch (SQLException e) {
            throw new ConnectException(
                    "could not move the checkpoint of connector '" + name + "' in " + c.checkpointTable
                            + " on the target, so the offsets were not altered: [" + e.getErrorCode() + "] "
                            + e.getMessage()
                            + ". Check that the target is reachable with '" + FkSafeSinkConfig.CONNECTION_URL
                            + "' and retry",
                    e);
        }
        return true;
    }

    /**
     * Field rules, then cross-field rules on every key involved, then converter settings that would change values
     * ({@link ConverterRules}), then — only if all that holds — a connection probe.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        Map<String, ConfigValue> values = new HashMap<>();
        for (ConfigValue v : config.configValues()) {
            values.put(v.name(), v);
        }
        List<String[]> problems = new ArrayList<>(ConfigProblems.crossFieldProblems(connectorConfigs));
        problems.addAll(ConfigProblems.unresolvedReferences(connectorConfigs));
        for (String[] problem : problems) {
            ConfigValue v = values.get(problem[0]);
            if (v != null) {
                v.addErrorMessage(problem[1]);
            }
        }
        List<ConfigValue> all = new ArrayList<>(config.configValues());
        for (String[] problem : ConverterRules.problems(connectorConfigs)) {
            // a converter's key is not in this connector's ConfigDef: reported as an entry of its own
            all.add(new ConfigValue(
                    problem[0], connectorConfigs.get(problem[0]), List.of(), new ArrayList<>(List.of(problem[1]))));
        }
        config = new Config(all);
        String url = connectorConfigs.get(FkSafeSinkConfig.CONNECTION_URL);
        if (url != null && !FkSafeSinkConfig.supportedUrl(url.trim())) {
            values.get(FkSafeSinkConfig.CONNECTION_URL)
                    .addErrorMessage(
                            "'" + FkSafeSinkConfig.CONNECTION_URL + "' " + FkSafeSinkConfig.URL_SCHEME_PROBLEM);
        }
        boolean clean =
                config.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (clean && url != null) {
            probe(connectorConfigs, values);
        }
        mask(config, connectorConfigs);
        return config;
    }

    /**
     * The REST response echoes every value (passwords as [hidden]) and every message: credentials inside the URL, or
     * a driver message quoting them, are masked on their way out.
     */
    private static void mask(Config config, Map<String, String> cfg) {
        Redaction r =
                Redaction.of(cfg.get(FkSafeSinkConfig.CONNECTION_URL), cfg.get(FkSafeSinkConfig.CONNECTION_PASSWORD));
        for (ConfigValue v : config.configValues()) {
            v.errorMessages().replaceAll(r::apply);
            if (v.value() instanceof String s) {
                v.value(r.apply(s));
            }
        }
    }

    private static void probe(Map<String, String> cfg, Map<String, ConfigValue> values) {
        FkSafeSinkConfig c;
        try {
            c = new FkSafeSinkConfig(cfg);
        } catch (RuntimeException e) {
            values.get(FkSafeSinkConfig.CONNECTION_URL).addErrorMessage(e.getMessage());
            return;
        }
        Properties p = TargetSession.connectionProperties(c);
        p.setProperty("connectTimeout", "5000");
        try (Connection conn = TargetSession.connect(c, p)) {
            ServerVersion v = TargetSession.readVersion(conn);
            if (c.dialect != DialectKind.AUTO && c.dialect != v.kind()) {
                String msg = "'" + FkSafeSinkConfig.DIALECT + "' is '"
                        + c.dialect.name().toLowerCase(java.util.Locale.ROOT)
                        + "' but the target reports VERSION() '" + v.raw() + "' ("
                        + v.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + "); set it to 'auto' or to the target's kind";
                values.get(FkSafeSinkConfig.DIALECT).addErrorMessage(msg);
                values.get(FkSafeSinkConfig.CONNECTION_URL).addErrorMessage(msg);
            }
        } catch (SQLException e) {
            String msg =
                    "cannot connect to the target: [" + e.getErrorCode() + "/" + e.getSQLState() + "] " + e.getMessage()
                            + ". Check the host, port, user and password, and that the target accepts connections from the Connect workers";
            for (String key : List.of(
                    FkSafeSinkConfig.CONNECTION_URL,
                    FkSafeSinkConfig.CONNECTION_USER,
                    FkSafeSinkConfig.CONNECTION_PASSWORD)) {
                values.get(key).addErrorMessage(msg);
            }
        }
    }
}
