package io.fksafe.sink.target;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.sink.config.FkSafeSinkConfig;
import io.fksafe.sink.dialect.Dialect;
import io.fksafe.sink.dialect.DialectKind;
import io.fksafe.sink.dialect.ErrorKind;
import io.fksafe.sink.dialect.ServerVersion;

/**
 * One JDBC connection to the target with its session settings, the dialect read from it, and a small cache of
 * prepared statements. Dropped whole on any failure: a fresh connection is the only state we trust after an error.
 */
public final class TargetSession implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TargetSession.class);
    private static final int STATEMENT_CACHE = 64;

    private final FkSafeSinkConfig config;
    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(16, 0.75f, true);
    private Connection conn;
    private Dialect dialect;
    private boolean fkChecks = true;

    public TargetSession(FkSafeSinkConfig config) {
        this.config = config;
    }

    public Connection connection() throws SQLException {
        if (conn == null) {
            open();
        }
        return conn;
    }

    public Dialect dialect() throws SQLException {
        connection();
        return dialect;
    }

    /**
     * What {@code e} means, read by the dialect of the server this session last connected to (also while the
     * connection is down, without reconnecting), else by the configured 'target.dialect', else by every family's codes.
     */
    public ErrorKind classify(SQLException e) {
        Dialect d = dialect;
        if (d == null) {
            d = config.dialect == DialectKind.AUTO
                    ? Dialect.generic()
                    : Dialect.of(new ServerVersion(config.dialect, 0, 0, 0, config.dialect.name()));
        }
        return d.classify(e);
    }

    /** A prepared statement for {@code sql}, reused while the connection lives. */
    public PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection().prepareStatement(sql);
            statements.put(sql, ps);
            if (statements.size() > STATEMENT_CACHE) {
                Iterator<PreparedStatement> eldest = statements.values().iterator();
                closeQuietly(eldest.next());
                eldest.remove();
            }
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    public void foreignKeyChecks(boolean on) throws SQLException {
        if (fkChecks != on) {
            try (Statement st = connection().createStatement()) {
                st.execute(dialect.setForeignKeyChecks(on));
            }
            fkChecks = on;
        }
    }

    public void rollbackQuietly() {
        if (conn != null) {
            try {
                conn.rollback();
                foreignKeyChecks(true);
            } catch (SQLException e) {
                log.debug("rollback failed; dropping the connection", e);
                close();
            }
        }
    }

    private void open() throws SQLException {
        Connection c = connect(config, connectionProperties(config));
        try {
            ServerVersion detected = readVersion(c);
            ServerVersion used = config.dialect == DialectKind.AUTO
                    ? detected
                    : new ServerVersion(
                            config.dialect, detected.major(), detected.minor(), detected.patch(), detected.raw());
            if (used.kind() != detected.kind()) {
                log.warn(
                        "'{}' is '{}' but the target reports VERSION() '{}'; using the configured dialect",
                        FkSafeSinkConfig.DIALECT,
                        config.dialect,
                        detected.raw());
            }
            Dialect d = Dialect.of(used);
            try (Statement st = c.createStatement()) {
                for (String s : d.sessionSetup()) {
                    st.execute(s);
                }
            }
            c.setAutoCommit(false);
            this.conn = c;
            this.dialect = d;
            this.fkChecks = true;
            log.info("connected to target {} ({} dialect)", detected.raw(), d.kind());
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** User and password for the driver; the password leaves the config only here, never into a log. */
    public static Properties connectionProperties(FkSafeSinkConfig config) {
        Properties props = new Properties();
        if (config.user != null) {
            props.setProperty("user", config.user);
        }
        if (config.password != null && config.password.value() != null) {
            props.setProperty("password", config.password.value());
        }
        return props;
    }

    /**
     * A new connection to the target. The drivers echo parts of the URL (credentials included) when they cannot parse
     * it or reach the server, so what they throw leaves here masked.
     */
    public static Connection connect(FkSafeSinkConfig config, Properties props) throws SQLException {
        Connection c;
        try {
            c = driverFor(config.connectionUrl).connect(config.connectionUrl, props);
        } catch (SQLException e) {
            throw config.redaction.apply(e);
        } catch (RuntimeException e) {
            throw config.redaction.apply(new SQLException(e.toString(), e));
        }
        if (c == null) {
            throw new SQLException("no JDBC driver accepts the URL in '" + FkSafeSinkConfig.CONNECTION_URL + "'");
        }
        return c;
    }

    public static ServerVersion readVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT VERSION()")) {
            rs.next();
            return ServerVersion.parse(rs.getString(1));
        }
    }

    /**
     * The driver is picked by URL and called directly: DriverManager only sees drivers of the caller's class loader,
     * which a Connect plugin's isolated loader is not.
     */
    private static Driver driverFor(String url) throws SQLException {
        String cls = url.startsWith("jdbc:mariadb:") ? "org.mariadb.jdbc.Driver" : "com.mysql.cj.jdbc.Driver";
        try {
            return (Driver) Class.forName(cls, true, TargetSession.class.getClassLoader())
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException e) {
            throw new SQLException(
                    "JDBC driver " + cls + " for '" + url.substring(0, url.indexOf(':', 5) + 1)
                            + "' URLs is not on the plugin's class path",
                    e);
        }
    }

    @Override
    public void close() {
        for (PreparedStatement ps : statements.values()) {
            closeQuietly(ps);
        }
        statements.clear();
        if (conn != null) {
            closeQuietly(conn);
            conn = null;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing after a failure: the server may already be gone
        }
    }
}
