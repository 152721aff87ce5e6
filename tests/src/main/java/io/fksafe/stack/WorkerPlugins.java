package io.fksafe.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** The worker's plugin.path: a copy of the built plugins, refreshed when the build produced new archives. */
final class WorkerPlugins {

    private final Path home;
    private final Path built;

    /** @param home {@code .fksafe}; @param built {@code tests/target/plugins} */
    WorkerPlugins(Path home, Path built) {
        this.home = home;
        this.built = built;
    }

    Path dir() {
        return home.resolve("plugins");
    }

    /** The plugin.path of the worker: a copy of tests/target/plugins, so a rebuild cannot pull jars from under it. */
    void sync() throws IOException {
        Path from = built;
        if (!Files.isDirectory(from.resolve("fksafe-sink"))) {
            throw new IOException("no plugins in " + from + ": build first (mvn -B -pl tests -am package -DskipTests)");
        }
        MariaDbServer.deleteTree(dir());
        Files.writeString(home.resolve("plugins.fingerprint"), fingerprint(from));
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path to = dir().resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    boolean changed() throws IOException {
        Path stamp = home.resolve("plugins.fingerprint");
        return !Files.exists(stamp) || !Files.readString(stamp).equals(fingerprint(built));
    }

    /** Names, sizes and times of the built plugin files: changes when the build produced new archives. */
    private static String fingerprint(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile).sorted()::iterator) {
                b.append(dir.relativize(p))
                        .append(' ')
                        .append(Files.size(p))
                        .append(' ')
                        .append(Files.getLastModifiedTime(p).toMillis())
                        .append('\n');
            }
        }
        return b.toString();
    }
}
