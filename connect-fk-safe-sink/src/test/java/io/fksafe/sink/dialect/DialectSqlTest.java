package io.fksafe.sink.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fksafe.sink.metadata.FkRule;
import io.fksafe.sink.metadata.ForeignKey;
import io.fksafe.sink.metadata.TableId;

/** The exact SQL each dialect writes, and how it reads target errors. */
class DialectSqlTest {

    private static final TableId T = new TableId("shop", "order`s");
    private static final List<String> COLS = List.of("id", "region", "note");
    private static final List<String> KEY = List.of("id", "region");

    private static Dialect of(String version) {
        return Dialect.of(ServerVersion.parse(version));
    }

    @Test
    void versionDetection_readsFamilyAndImitatedMysqlVersion() {
        assertEquals(
                new ServerVersion(DialectKind.TIDB, 8, 0, 11, "8.0.11-TiDB-v8.5.4"),
                ServerVersion.parse("8.0.11-TiDB-v8.5.4"));
        assertEquals(DialectKind.MARIADB, ServerVersion.parse("11.4.5-MariaDB").kind());
        ServerVersion legacyPrefix = ServerVersion.parse("5.5.5-10.6.13-MariaDB-log");
        assertEquals(List.of(10, 6, 13), List.of(legacyPrefix.major(), legacyPrefix.minor(), legacyPrefix.patch()));
        assertEquals(DialectKind.MYSQL, ServerVersion.parse("8.0.36").kind());
        assertTrue(ServerVersion.parse("8.0.20").atLeast(8, 0, 20));
        assertFalse(ServerVersion.parse("8.0.19").atLeast(8, 0, 20));
    }

    @Test
    void release_isTidbsOwnVersion_orTheVersionItself() {
        assertEquals(
                List.of(8, 5, 4),
                numbers(ServerVersion.parse("8.0.11-TiDB-v8.5.4").release()));
        assertEquals(
                List.of(6, 5, 0),
                numbers(ServerVersion.parse("5.7.25-TiDB-v6.5.0-serverless").release()));
        assertNull(ServerVersion.parse("8.0.11-TiDB").release(), "a TiDB that does not say its release");
        assertEquals(
                ServerVersion.parse("8.0.36"), ServerVersion.parse("8.0.36").release());
        assertEquals(
                ServerVersion.parse("11.4.5-MariaDB"),
                ServerVersion.parse("11.4.5-MariaDB").release());
        assertEquals(
                "6.5.0", ServerVersion.parse("5.7.25-TiDB-v6.5.0").release().number());
    }

    @Test
    void tidbCapabilities_byItsRelease_mysqlAndMariadbHaveThemAll() {
        Dialect old = of("5.7.25-TiDB-v6.1.7");
        Dialect v65 = of("5.7.25-TiDB-v6.5.0");
        Dialect current = of("8.0.11-TiDB-v8.5.4");
        assertFalse(old.alterTakesSeveralChanges());
        assertTrue(v65.alterTakesSeveralChanges());
        assertFalse(v65.enforcesForeignKeys());
        assertTrue(current.enforcesForeignKeys());
        assertTrue(of("8.0.11-TiDB").enforcesForeignKeys(), "no release said: taken to be a current one");
        assertFalse(current.createsFulltextIndexes()
                || current.hasSpatialTypes()
                || current.foreignKeysOnPartitionedTables());
        assertTrue(current.ignoredTableOptions().contains("ENGINE"));
        for (Dialect d : List.of(of("8.0.36"), of("5.7.44"), of("11.4.5-MariaDB"))) {
            assertTrue(d.enforcesForeignKeys()
                    && d.alterTakesSeveralChanges()
                    && d.createsFulltextIndexes()
                    && d.hasSpatialTypes()
                    && d.foreignKeysOnPartitionedTables()
                    && d.ignoredTableOptions().isEmpty());
        }
    }

    private static List<Integer> numbers(ServerVersion v) {
        return List.of(v.major(), v.minor(), v.patch());
    }

    @Test
    void mysql8020AndLater_upsertUsesTheRowAlias() {
        assertEquals(
                "INSERT INTO `shop`.`order``s` (`id`, `region`, `note`) VALUES (?, ?, ?), (?, ?, ?) AS new "
                        + "ON DUPLICATE KEY UPDATE `note` = new.`note`",
                of("8.0.36").upsert(T, COLS, KEY, 2));
        assertInstanceOf(MySqlRowAliasDialect.class, of("8.4.3"));
    }

    @Test
    void olderMysql_mariadb_tidb_upsertUsesValuesFunction() {
        String expected = "INSERT INTO `shop`.`order``s` (`id`, `region`, `note`) VALUES (?, ?, ?) "
                + "ON DUPLICATE KEY UPDATE `note` = VALUES(`note`)";
        assertEquals(expected, of("8.0.19").upsert(T, COLS, KEY, 1));
        assertEquals(expected, of("5.7.44-log").upsert(T, COLS, KEY, 1));
        assertEquals(expected, of("11.4.5-MariaDB").upsert(T, COLS, KEY, 1));
        assertEquals(expected, of("8.0.11-TiDB-v8.5.4").upsert(T, COLS, KEY, 1));
        assertInstanceOf(TiDbDialect.class, of("8.0.11-TiDB-v7.5.1"));
    }

    @Test
    void keylessTable_rowImageStatements_matchEveryColumnNullSafely_oneRowAtATime() {
        Dialect d = of("11.4.5-MariaDB");
        assertEquals(
                "DELETE FROM `shop`.`order``s` WHERE `id` <=> ? AND `region` <=> ? AND `note` <=> ? LIMIT 1",
                d.deleteByRowImage(T, COLS));
        assertEquals(
                "UPDATE `shop`.`order``s` SET `id` = ?, `region` = ?, `note` = ? "
                        + "WHERE `id` <=> ? AND `region` <=> ? AND `note` <=> ? LIMIT 1",
                d.updateByRowImage(T, COLS, COLS));
        assertEquals(
                "SELECT 1 FROM `shop`.`order``s` WHERE `id` <=> ? AND `region` <=> ? AND `note` <=> ? LIMIT 1",
                d.rowImageExists(T, COLS));
        assertEquals(
                "INSERT INTO `shop`.`order``s` (`id`, `region`, `note`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE "
                        + "`id` = VALUES(`id`), `region` = VALUES(`region`), `note` = VALUES(`note`)",
                d.upsert(T, COLS, List.of(), 1));
    }

    @Test
    void upsertOfAKeyOnlyTable_assignsTheKeyToItself_neverIgnore() {
        assertEquals(
                "INSERT INTO `shop`.`order``s` (`id`, `region`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `id` = `id`",
                of("11.4.5-MariaDB").upsert(T, KEY, KEY, 1));
    }

    @Test
    void deletes_singleRow_multiRowSingleKey_multiRowCompositeKey() {
        Dialect d = of("11.4.5-MariaDB");
        assertEquals("DELETE FROM `shop`.`order``s` WHERE `id` = ? AND `region` = ?", d.delete(T, KEY, 1));
        assertEquals("DELETE FROM `shop`.`order``s` WHERE `id` IN (?, ?, ?)", d.delete(T, List.of("id"), 3));
        assertEquals("DELETE FROM `shop`.`order``s` WHERE (`id`, `region`) IN ((?, ?), (?, ?))", d.delete(T, KEY, 2));
    }

    @Test
    void keyUpdate_setsEveryColumnWhereOldKey() {
        assertEquals(
                "UPDATE `shop`.`order``s` SET `id` = ?, `region` = ?, `note` = ? WHERE `id` = ? AND `region` = ?",
                of("8.0.36").keyUpdate(T, COLS, KEY));
    }

    @Test
    void replayHelpers_parentExists_repoint_deleteChildren() {
        ForeignKey fk = new ForeignKey(
                "fk",
                new TableId("shop", "lines"),
                List.of("order_id", "order_region"),
                T,
                KEY,
                FkRule.CASCADE,
                FkRule.CASCADE);
        Dialect d = of("11.4.5-MariaDB");
        assertEquals("SELECT 1 FROM `shop`.`order``s` WHERE `id` = ? AND `region` = ? LIMIT 1", d.parentExists(fk));
        assertEquals(
                "UPDATE `shop`.`lines` SET `order_id` = ?, `order_region` = ? WHERE `order_id` = ? AND `order_region` = ?",
                d.repointChildren(fk, false));
        assertEquals(
                "UPDATE `shop`.`lines` SET `order_id` = NULL, `order_region` = NULL WHERE `order_id` = ? AND `order_region` = ?",
                d.repointChildren(fk, true));
        assertEquals("DELETE FROM `shop`.`lines` WHERE `order_id` = ? AND `order_region` = ?", d.deleteChildren(fk));
    }

    @Test
    void sessionSetup_strictUtcFkChecksOn() {
        assertEquals(
                List.of(
                        "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO'",
                        "SET SESSION time_zone = '+00:00'",
                        "SET SESSION foreign_key_checks = 1"),
                of("8.0.11-TiDB-v8.5.4").sessionSetup());
    }

    @Test
    void errorClassification_byVendorCodeAndSqlState() {
        Dialect d = of("8.0.11-TiDB-v8.5.4");
        assertEquals(ErrorKind.FK_PARENT_MISSING, d.classify(new SQLException("x", "23000", 1452)));
        assertEquals(ErrorKind.FK_CHILD_EXISTS, d.classify(new SQLException("x", "23000", 1451)));
        assertEquals(ErrorKind.DUPLICATE_KEY, d.classify(new SQLException("x", "23000", 1062)));
        assertEquals(ErrorKind.DUPLICATE_KEY, d.classify(new SQLException("x", "23000", 1761)));
        for (int code : List.of(1205, 1213, 8002, 8005, 8022, 8027, 8028, 9001, 9005, 9008)) {
            assertEquals(ErrorKind.TRANSIENT, d.classify(new SQLException("x", "HY000", code)), "code " + code);
        }
        assertEquals(ErrorKind.TRANSIENT, d.classify(new SQLException("gone", "08S01", 0)));
        assertEquals(ErrorKind.TRANSIENT, d.classify(new SQLTransientConnectionException("refused")));
        assertEquals(
                ErrorKind.TRANSIENT, d.classify(new SQLException("wrapped", new SQLException("x", "HY000", 1213))));
        for (int code : List.of(1264, 1366, 1406, 1048)) {
            assertEquals(ErrorKind.DATA, d.classify(new SQLException("x", "22001", code)), "code " + code);
        }
        assertEquals(ErrorKind.SCHEMA, d.classify(new SQLException("x", "42S02", 1146)));
        assertEquals(ErrorKind.SCHEMA, d.classify(new SQLException("x", "42S22", 1054)));
        assertEquals(ErrorKind.OTHER, d.classify(new SQLException("x", "42000", 1064)));
    }

    @Test
    void errorClassification_tidbCodesOnTidbOnly_mysqlAndMariadbCodesByTheirDialect() {
        Dialect tidb = of("8.0.11-TiDB-v8.5.4");
        Dialect mariadb = of("11.4.5-MariaDB");
        Dialect mysql = of("8.0.36");
        SQLException txnTooLarge = new SQLException("Transaction is too large", "HY000", ErrorCodes.TIDB_TXN_TOO_LARGE);
        SQLException entryTooLarge = new SQLException("entry too large", "HY000", ErrorCodes.TIDB_ENTRY_TOO_LARGE);
        SQLException writeConflict = new SQLException("Write conflict", "HY000", ErrorCodes.TIDB_WRITE_CONFLICT);
        assertEquals(ErrorKind.TRANSACTION_TOO_LARGE, tidb.classify(txnTooLarge));
        assertEquals(ErrorKind.ROW_TOO_LARGE, tidb.classify(entryTooLarge));
        assertEquals(ErrorKind.TRANSIENT, tidb.classify(writeConflict));
        for (Dialect d : List.of(mariadb, mysql)) { // not codes of theirs: nothing is guessed from them
            assertEquals(ErrorKind.OTHER, d.classify(txnTooLarge), d.kind().name());
            assertEquals(ErrorKind.OTHER, d.classify(entryTooLarge), d.kind().name());
            assertEquals(ErrorKind.OTHER, d.classify(writeConflict), d.kind().name());
        }
        SQLException killed = new SQLException("Connection was killed", "70100", ErrorCodes.ER_CONNECTION_KILLED);
        SQLException binlogCacheFull =
                new SQLException("needed more than max_binlog_cache_size", "HY000", ErrorCodes.ER_TRANS_CACHE_FULL);
        SQLException rowSize = new SQLException("Row size too large", "42000", ErrorCodes.ER_TOO_BIG_ROWSIZE);
        assertEquals(ErrorKind.TRANSIENT, mariadb.classify(killed));
        assertEquals(ErrorKind.TRANSACTION_TOO_LARGE, mysql.classify(binlogCacheFull));
        assertEquals(ErrorKind.ROW_TOO_LARGE, mariadb.classify(rowSize));
        assertEquals(ErrorKind.ROW_TOO_LARGE, tidb.classify(rowSize)); // TiDB returns MySQL's codes too
        // before any server said what the target is: every family's codes
        assertEquals(ErrorKind.TRANSACTION_TOO_LARGE, Dialect.generic().classify(txnTooLarge));
        assertEquals(ErrorKind.TRANSIENT, Dialect.generic().classify(killed));
    }

    @Test
    void ddlErrorsOfAMissingForeignKeyPeer_areKnownByTheDialect() {
        Dialect d = of("11.4.5-MariaDB");
        assertTrue(d.foreignKeyPeerMissing(new SQLException("errno: 150", "HY000", ErrorCodes.ER_CANT_CREATE_TABLE)));
        assertTrue(d.foreignKeyPeerMissing(new SQLException("referenced", "23000", ErrorCodes.ER_ROW_IS_REFERENCED_2)));
        assertFalse(d.foreignKeyPeerMissing(new SQLException("syntax", "42000", 1064)));
    }
}
