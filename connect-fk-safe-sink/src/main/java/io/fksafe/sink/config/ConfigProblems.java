package io.fksafe.sink.config;

import static io.fksafe.sink.config.FkSafeSinkConfig.BATCH_MAX_ROWS;
import static io.fksafe.sink.config.FkSafeSinkConfig.CONNECTION_PASSWORD;
import static io.fksafe.sink.config.FkSafeSinkConfig.CONNECTION_URL;
import static io.fksafe.sink.config.FkSafeSinkConfig.CONNECTION_USER;
import static io.fksafe.sink.config.FkSafeSinkConfig.DIALECT;
import static io.fksafe.sink.config.FkSafeSinkConfig.STATEMENT_MAX_ROWS;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

import io.fksafe.sink.dialect.DialectKind;

/**
 * What the connector's validate() reports beyond the ConfigDef's per-key checks: rules across keys, and config
 * provider references the worker left unresolved. Each problem is a (key, message) pair.
 */
public final class ConfigProblems {

    private ConfigProblems() {}

    /** Cross-field rules, as (key, message) pairs; the connector reports each on every key involved. */
    public static List<String[]> crossFieldProblems(Map<String, String> props) {
        List<String[]> problems = new ArrayList<>();
        Integer batchRows = parseInt(props.get(BATCH_MAX_ROWS), (Integer) defaultOf(BATCH_MAX_ROWS));
        Integer stmtRows = parseInt(props.get(STATEMENT_MAX_ROWS), (Integer) defaultOf(STATEMENT_MAX_ROWS));
        if (batchRows != null && stmtRows != null && stmtRows > batchRows) {
            // worded from each key's side: a refused PUT lists every key's errors together
            String why = "a statement never spans transactions";
            problems.add(new String[] {
                STATEMENT_MAX_ROWS,
                "'" + STATEMENT_MAX_ROWS + "' (" + stmtRows + ") is larger than '" + BATCH_MAX_ROWS + "' (" + batchRows
                        + "); " + why + ", so lower '" + STATEMENT_MAX_ROWS + "' or raise '" + BATCH_MAX_ROWS + "'"
            });
            problems.add(new String[] {
                BATCH_MAX_ROWS,
                "'" + BATCH_MAX_ROWS + "' (" + batchRows + ") is smaller than '" + STATEMENT_MAX_ROWS + "' (" + stmtRows
                        + "); " + why + ", so raise '" + BATCH_MAX_ROWS + "' or lower '" + STATEMENT_MAX_ROWS + "'"
            });
        }
        String url = props.get(CONNECTION_URL);
        String dialect =
                props.getOrDefault(DIALECT, (String) defaultOf(DIALECT)).trim();
        if (url != null
                && url.startsWith("jdbc:mariadb:")
                && DialectKind.TIDB.name().equalsIgnoreCase(dialect)) {
            String fix = "; for TiDB use a 'jdbc:mysql://host:4000/' URL, or set '" + DIALECT + "' to 'auto'";
            problems.add(new String[] {
                DIALECT, "'" + DIALECT + "' is 'tidb' but '" + CONNECTION_URL + "' uses the MariaDB driver" + fix
            });
            problems.add(new String[] {
                CONNECTION_URL,
                "'" + CONNECTION_URL + "' uses the MariaDB driver (jdbc:mariadb:) but '" + DIALECT + "' is 'tidb'" + fix
            });
        }
        return problems;
    }

    /**
     * The worker resolves {@code ${env:...}} / {@code ${file:...}} references before the connector sees its config;
     * one still there means the worker has no such provider, or the provider refused or did not find the key. Connecting
     * with the reference text as the password would only say "access denied".
     */
    public static List<String[]> unresolvedReferences(Map<String, String> props) {
        List<String[]> problems = new ArrayList<>();
        for (String key : List.of(CONNECTION_URL, CONNECTION_USER, CONNECTION_PASSWORD)) {
            String v = props.get(key);
            Matcher m = v == null ? null : Redaction.REFERENCE.matcher(v);
            if (m != null && m.find()) {
                problems.add(new String[] {
                    key,
                    "'" + key + "' holds the config provider reference '" + m.group()
                            + "', which the Connect worker did not resolve: check the worker's 'config.providers' settings "
                            + "(provider name, class, allow-list), and that the variable, file or key exists (docs/deploy.md)"
                });
            }
        }
        return problems;
    }

    /** The ConfigDef's default of {@code key}, parsed to its type: the rules read it from there, never repeat it. */
    private static Object defaultOf(String key) {
        return FkSafeSinkConfig.CONFIG_DEF.configKeys().get(key).defaultValue;
    }

    private static Integer parseInt(String v, int dflt) {
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return null; // the ConfigDef reports the type error
        }
    }
}
