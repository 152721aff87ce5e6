package io.fksafe.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * The local stack's database passwords, made up on the first {@code up} and kept in {@code .fksafe/secrets.properties}
 * (readable by its owner only): nothing in the code or in a connector config is a password. The Connect worker gets
 * them as {@code SOURCE_PASSWORD} / {@code TARGET_PASSWORD} in its environment; the same file also serves
 * {@code ${file:...:source.password}} references.
 */
public record LocalSecrets(Path file, String sourcePassword, String targetPassword) {

    public static final String SOURCE_KEY = "source.password";
    public static final String TARGET_KEY = "target.password";
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static LocalSecrets loadOrCreate(Path file) throws IOException {
        Properties p = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
        }
        if (p.getProperty(SOURCE_KEY) == null || p.getProperty(TARGET_KEY) == null) {
            p.setProperty(SOURCE_KEY, p.getProperty(SOURCE_KEY, generate()));
            p.setProperty(TARGET_KEY, p.getProperty(TARGET_KEY, generate()));
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream o = Files.newOutputStream(file)) {
                p.store(o, "database passwords of the local stack, made up on the first ./fksafe up");
            }
        }
        return new LocalSecrets(file.toAbsolutePath(), p.getProperty(SOURCE_KEY), p.getProperty(TARGET_KEY));
    }

    private static String generate() {
        SecureRandom r = new SecureRandom();
        StringBuilder b = new StringBuilder(24);
        for (int i = 0; i < 24; i++) {
            b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "LocalSecrets[" + file + "]"; // never the passwords
    }
}
