package io.fksafe.sink;

import io.fksafe.change.PluginVersion;

/** The plugin version: the project's, which the build writes into {@code version.properties} next to this class. */
public final class Version {

    private static final String VALUE = PluginVersion.of(Version.class);

    private Version() {}

    public static String get() {
        return VALUE;
    }
}
