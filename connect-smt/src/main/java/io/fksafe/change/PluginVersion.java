package io.fksafe.change;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** A plugin's version: the project's, which the build writes into a {@code version.properties} beside a class. */
public final class PluginVersion {

    private PluginVersion() {}

    /** The version in the {@code version.properties} of {@code anchor}'s package, or "unknown" if there is none. */
    public static String of(Class<?> anchor) {
        try (InputStream in = anchor.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
