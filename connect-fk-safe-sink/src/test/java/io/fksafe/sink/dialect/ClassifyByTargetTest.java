package io.fksafe.sink.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fksafe.sink.config.FkSafeSinkConfig;
import io.fksafe.sink.target.TargetSession;
import io.fksafe.sink.testing.TestDatabase;

/**
 * Target errors are read by the dialect of the server the session connected to, also after the connection is gone;
 * before any connection, by the configured 'target.dialect', or by every family's codes when it is 'auto'.
 */
class ClassifyByTargetTest {

    private static final SQLException TIDB_TXN_TOO_LARGE =
            new SQLException("Transaction is too large", "HY000", ErrorCodes.TIDB_TXN_TOO_LARGE);

    private final TestDatabase db = TestDatabase.get();

    private TargetSession session(String dialect) {
        return new TargetSession(new FkSafeSinkConfig(
                Map.of("connection.url", db.url(), "connection.user", db.user(), "target.dialect", dialect)));
    }

    @Test
    void afterConnectingToMariadb_itsDialectClassifies_alsoWhileDisconnected() throws SQLException {
        try (TargetSession s = session("auto")) {
            assertEquals(ErrorKind.TRANSACTION_TOO_LARGE, s.classify(TIDB_TXN_TOO_LARGE), "no server seen yet");
            s.connection();
            s.close();
            assertEquals(ErrorKind.OTHER, s.classify(TIDB_TXN_TOO_LARGE), "MariaDB has no such code");
            assertEquals(
                    ErrorKind.TRANSIENT,
                    s.classify(new SQLException("killed", "70100", ErrorCodes.ER_CONNECTION_KILLED)));
        }
    }

    @Test
    void beforeAnyConnection_theConfiguredDialectClassifies() {
        try (TargetSession tidb = session("tidb");
                TargetSession mariadb = session("mariadb")) {
            assertEquals(ErrorKind.TRANSACTION_TOO_LARGE, tidb.classify(TIDB_TXN_TOO_LARGE));
            assertEquals(ErrorKind.OTHER, mariadb.classify(TIDB_TXN_TOO_LARGE));
        }
    }
}
