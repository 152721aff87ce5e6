package io.fksafe.stack;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One database endpoint (host, port, account) and plain SQL helpers for the launcher and the tests.
 *
 * <p>The JDBC driver is loaded from the sink plugin's own {@code mariadb-java-client} jar in an isolated class loader
 * and called directly, never via {@code DriverManager}: the JVM that runs the e2e tests also hosts the Connect
 * worker, whose class path must not carry a JDBC driver (one there breaks the Debezium plugin's own).
 */
public final class Db {

    private static Driver driver;

    private final String name;
    private final String host;
    private final int port;
    private final String user;
    private final String password;

    public Db(String name, String host, int port, String user, String password) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    public String name() {
        return name;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Db as(String otherUser, String otherPassword) {
        return new Db(name, host, port, otherUser, otherPassword);
    }

    /** Loads the MariaDB driver from {@code <plugins>/fksafe-sink/lib}; call once before connecting. */
    public static synchronized void useDriverFrom(Path pluginPath) {
        if (driver != null) {
            return;
        }
        Path lib = pluginPath.resolve("fksafe-sink/lib");
        try (Stream<Path> jars = Files.list(lib)) {
            Path jar = jars.filter(p -> p.getFileName().toString().startsWith("mariadb-java-client-"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no mariadb-java-client jar in " + lib));
            URLClassLoader loader = new URLClassLoader(
                    "fksafe-jdbc", new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            driver = (Driver) loader.loadClass("org.mariadb.jdbc.Driver")
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (IOException | ReflectiveOperationException e) {
            throw new IllegalStateException("cannot load the MariaDB JDBC driver from " + lib + ": " + e, e);
        }
    }

    public Connection connect() throws SQLException {
        if (driver == null) {
            throw new IllegalStateException("Db.useDriverFrom(pluginPath) was not called");
        }
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password == null ? "" : password);
        p.setProperty("connectTimeout", "10000");
        p.setProperty("allowMultiQueries", "false");
        return driver.connect("jdbc:mariadb://" + host + ":" + port + "/", p);
    }

    public void exec(String... sql) {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    name + ": SQL failed: " + String.join("; ", sql) + ": " + e.getMessage(), e);
        }
    }

    /** Runs a script's statements (see {@link SqlScript}) on one connection, so {@code USE} carries over. */
    public void run(List<String> statements) {
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            for (String s : statements) {
                try {
                    st.execute(s);
                } catch (SQLException e) {
                    throw new IllegalStateException(name + ": SQL failed: " + s + ": " + e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    name + ": cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Rows of a query, every column as text (NULL as null). */
    public List<List<String>> query(String sql) {
        return queryResult(sql).rows();
    }

    public Result queryResult(String sql) {
        try (Connection c = connect();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return Result.of(rs);
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Runs each statement of a script on one connection and returns the result sets, in order. */
    public List<Result> results(List<String> statements) {
        List<Result> out = new ArrayList<>();
        try (Connection c = connect();
                Statement st = c.createStatement()) {
            for (String s : statements) {
                if (st.execute(s)) {
                    try (ResultSet rs = st.getResultSet()) {
                        out.add(Result.of(rs));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(name + ": script failed: " + e.getMessage(), e);
        }
        return out;
    }

    public long count(String sql) {
        return Long.parseLong(query(sql).get(0).get(0));
    }

    public boolean reachable() {
        try (Connection c = connect()) {
            return c != null;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return name + " (" + user + "@" + host + ":" + port + ")";
    }

    /** A result set as text: column labels and rows. */
    public record Result(List<String> columns, List<List<String>> rows) {

        static Result of(ResultSet rs) throws SQLException {
            int n = rs.getMetaData().getColumnCount();
            List<String> cols = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                cols.add(rs.getMetaData().getColumnLabel(i));
            }
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return new Result(cols, rows);
        }
    }
}
