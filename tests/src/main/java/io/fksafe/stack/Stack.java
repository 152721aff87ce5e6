package io.fksafe.stack;

import java.nio.file.Path;

/**
 * A running pipeline's endpoints: the launcher's background processes ({@link LocalStack}) or, in the e2e tests, two
 * MariaDB servers with an EmbeddedConnectCluster. Everything above it ({@link Pipeline}, {@link SeedLab},
 * {@link Verify}) works on either.
 */
public interface Stack {

    /** The source database, as the launcher's account (SOURCE_USER). */
    Db source();

    /** The target database, as the launcher's account (TARGET_USER). */
    Db target();

    ConnectRest connect();

    String kafkaBootstrap();

    /** Where the connector JSON files are ({@code config/}). */
    Path configDir();

    /** The values of {@code .fksafe/stack.env}, which also fill the {@code ${VAR}} placeholders of the config files. */
    StackEnv env();

    /** The PID of the JVM that runs the Connect worker (this JVM's own for an embedded worker); for its MBeans. */
    long workerPid();
}
