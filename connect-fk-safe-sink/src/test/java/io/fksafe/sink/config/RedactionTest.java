package io.fksafe.sink.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fksafe.sink.FkSafeSinkConnector;
import io.fksafe.sink.target.TargetSession;
import io.fksafe.sink.testing.TestDatabase;

/**
 * Credentials inside {@code connection.url} (and the password itself) never reach a log line, an exception message or
 * a REST validation message: masked by pattern and literally, against the real drivers and a real MariaDB.
 */
class RedactionTest {

    /** Not a word, so a hit is a leak and nothing else. */
    private static final String SECRET = "Qv7xUrlPw93k";

    private static final String URL_USER = "fks_url_user";
    private static TestDatabase db;

    @BeforeAll
    static void start() {
        db = TestDatabase.get(); // runs with --skip-grant-tables: any user and password get in (wrong ones:
        // PluginAndValidationIT)
    }

    private static String hostPort() {
        return db.url().substring("jdbc:mariadb://".length(), db.url().length() - 1);
    }

    @Test
    void patterns_maskUserInfoAndPasswordPairs_inEveryUrlShape() {
        assertEquals("jdbc:mysql://u:****@h:4000/db", Redaction.maskPatterns("jdbc:mysql://u:p4ss@h:4000/db"));
        assertEquals(
                "jdbc:mariadb://h/db?user=u&password=****&sslMode=trust",
                Redaction.maskPatterns("jdbc:mariadb://h/db?user=u&password=p4ss&sslMode=trust"));
        assertEquals(
                "jdbc:mysql://address=(host=h)(user=u)(password=****)/db",
                Redaction.maskPatterns("jdbc:mysql://address=(host=h)(user=u)(password=p4ss)/db"));
        assertEquals("x;trustStorePassword=****;PWD=****", Redaction.maskPatterns("x;trustStorePassword=ab;PWD=cd"));
        assertEquals("jdbc:mysql://h:3306/db?user=u", Redaction.maskPatterns("jdbc:mysql://h:3306/db?user=u"));
        assertEquals("using password: YES", Redaction.maskPatterns("using password: YES"));
    }

    @Test
    void literals_theConfiguredPasswordAndTheUrlsCredentials_rawAndDecoded() {
        Redaction r = Redaction.of("jdbc:mysql://u:p%40ss-w0rd@h/db", "Other-Secret");
        assertEquals("near '****' and **** and ****", r.apply("near 'p@ss-w0rd' and p%40ss-w0rd and Other-Secret"));
        assertEquals("nothing here", r.apply("nothing here"));
    }

    @Test
    void sqlException_cleanOnesStayAsTheyAre_leakingOnesAreCopiedWithTypeStateAndCode() {
        Redaction r = Redaction.of("jdbc:mariadb://h/?password=" + SECRET, null);
        SQLException clean = new SQLException("Access denied", "28000", 1045);
        assertSame(clean, r.apply(clean));

        SQLException leaking = new SQLTransientConnectionException(
                "cannot reach jdbc:mariadb://h/?password=" + SECRET,
                "08000",
                0,
                new IllegalStateException("parsing " + SECRET));
        SQLException masked = r.apply(leaking);
        assertTrue(
                masked instanceof SQLTransientConnectionException,
                masked.getClass().getName());
        assertEquals("08000", masked.getSQLState());
        assertFalse(trace(masked).contains(SECRET), trace(masked));
        assertTrue(trace(masked).contains("IllegalStateException: parsing ****"), trace(masked));
    }

    @Test
    void validate_credentialsInTheUrl_neverInTheResponse_andMalformedOnesStillSayWhatIsWrong() {
        Map<String, Boolean> urls = Map.of( // URL -> whether it must fail validation
                "jdbc:mariadb://" + hostPort() + "/?user=" + URL_USER + "&password=" + SECRET, false,
                "jdbc:mysql://" + URL_USER + ":" + SECRET + "@" + hostPort() + "/", false,
                "jdbc:mariadb://" + URL_USER + ":" + SECRET + "@" + hostPort() + "/",
                        true, // user info MariaDB's driver cannot parse
                "jdbc:mysql://127.0.0.1:notaport/?password=" + SECRET, true,
                "jdbc:postgresql://" + URL_USER + ":" + SECRET + "@h/", true);
        urls.forEach((url, mustFail) -> {
            Map<String, String> p = new HashMap<>();
            p.put("connection.url", url);
            Config c = new FkSafeSinkConnector().validate(p);
            StringBuilder all = new StringBuilder();
            int errors = 0;
            for (ConfigValue v : c.configValues()) {
                all.append(v.name())
                        .append('=')
                        .append(v.value())
                        .append(' ')
                        .append(v.errorMessages())
                        .append('\n');
                errors += v.errorMessages().size();
            }
            assertEquals(mustFail, errors > 0, url + ":\n" + all);
            assertFalse(all.toString().contains(SECRET), all.toString());
            assertTrue(
                    all.toString().contains("connection.url=jdbc:")
                            && all.toString().contains(Redaction.MASK),
                    all.toString());
        });
    }

    @Test
    void validate_anUnresolvedProviderReference_namesTheWorkerSettings() {
        Map<String, String> p = new HashMap<>();
        p.put("connection.url", db.url());
        p.put("connection.user", URL_USER);
        p.put("connection.password", "${env:TARGET_PASSWORD}");
        ConfigValue pw = new FkSafeSinkConnector()
                .validate(p).configValues().stream()
                        .filter(v -> v.name().equals("connection.password"))
                        .findFirst()
                        .orElseThrow();
        assertTrue(
                pw.errorMessages().get(0).contains("'${env:TARGET_PASSWORD}'")
                        && pw.errorMessages().get(0).contains("config.providers"),
                pw.errorMessages().toString());
    }

    @Test
    void config_unsupportedScheme_exceptionDoesNotEchoTheCredentials() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> new FkSafeSinkConfig(Map.of("connection.url", "jdbc:postgresql://u:" + SECRET + "@h/")));
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void session_credentialsInTheUrl_connect_andTheLoggedConfigMasksThem() throws SQLException {
        String url = "jdbc:mariadb://" + hostPort() + "/?user=" + URL_USER + "&password=" + SECRET;
        String log = capturingStderr(() -> {
            try (TargetSession s = new TargetSession(new FkSafeSinkConfig(Map.of("connection.url", url)))) {
                s.connection();
            }
        });
        assertTrue(
                log.contains("connection.url = jdbc:mariadb://" + hostPort() + "/?user=" + URL_USER + "&password=****"),
                log);
        assertTrue(log.contains("connected to target"), log);
        assertFalse(log.contains(SECRET), log);
    }

    @Test
    void session_malformedUrlWithCredentials_failsWithoutEchoingThem() {
        FkSafeSinkConfig c =
                new FkSafeSinkConfig(Map.of("connection.url", "jdbc:mysql://127.0.0.1:notaport/?password=" + SECRET));
        SQLException e = assertThrows(SQLException.class, () -> {
            try (TargetSession s = new TargetSession(c)) {
                s.connection();
            }
        });
        assertFalse(trace(e).contains(SECRET), trace(e));
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    private static String capturingStderr(SqlAction action) throws SQLException {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static String trace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
