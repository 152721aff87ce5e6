package io.fksafe.stack;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Connect worker settings that let connector configs name their passwords instead of holding them: the shipped
 * {@code config/*.json} say {@code ${env:SOURCE_PASSWORD}} and {@code ${env:TARGET_PASSWORD}}, which only the worker
 * resolves, so the REST API and the config topic keep the reference. A {@code file} provider is there too, for
 * {@code ${file:<path>:<key>}} references to one properties file (docs/deploy.md shows both ways).
 */
public final class ConfigProviders {

    /** The environment variables the {@code env} provider may read; nothing else of the worker's environment. */
    public static final String ENV_ALLOWLIST = "^(SOURCE|TARGET)_PASSWORD$";

    private ConfigProviders() {}

    /** @param secretsFile the one file {@code ${file:...}} references may read */
    public static Map<String, String> workerSettings(Path secretsFile) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("config.providers", "env,file");
        m.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        m.put("config.providers.env.param.allowlist.pattern", ENV_ALLOWLIST);
        m.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        m.put(
                "config.providers.file.param.allowed.paths",
                secretsFile.toAbsolutePath().toString());
        return m;
    }
}
