package io.fksafe.sink.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fksafe.sink.config.TableMapping;
import io.fksafe.sink.dialect.Dialect;
import io.fksafe.sink.dialect.ServerVersion;

/** The exact statements the target runs: TiDB translations, table mapping, the snapshot's IF NOT EXISTS, and refusals. */
class DdlTranslationTest {

    private static final Dialect TIDB = target("8.0.11-TiDB-v8.5.4");
    private static final Dialect MARIADB = target("11.4.5-MariaDB");
    private static final Dialect MYSQL = target("8.0.36");

    private static Dialect target(String version) {
        return Dialect.of(ServerVersion.parse(version));
    }

    private static String tidb(String sql) {
        return tidb(sql, TIDB);
    }

    private static String tidb(String sql, Dialect version) {
        return DdlTranslator.translate(DdlParser.parse(sql, "shop"), version).sql();
    }

    private static String refusedOnTidb(String sql, Dialect version) {
        return assertThrows(DdlRefusedException.class, () -> tidb(sql, version)).getMessage();
    }

    @Test
    void tidb_capturedSnapshotCreateTable_losesOnlyTheEngine() {
        String child =
                "CREATE TABLE `child` (\n  `id` int(11) NOT NULL,\n  `parent_id` int(11) NOT NULL,\n  PRIMARY KEY (`id`),\n"
                        + "  KEY `parent_id` (`parent_id`),\n  CONSTRAINT `child_ibfk_1` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`) "
                        + "ON DELETE CASCADE ON UPDATE CASCADE\n) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci";
        assertEquals(child.replace(" ENGINE=InnoDB", ""), tidb(child));
        assertEquals(
                "CREATE TABLE `audit_log` (\n  `id` bigint(20) NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) "
                        + "AUTO_INCREMENT=2 DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci",
                tidb("CREATE TABLE `audit_log` (\n  `id` bigint(20) NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) "
                        + "ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci"));
    }

    @Test
    void tidb_stripsIgnoredOptionsAndFulltextIndexes() {
        assertEquals(
                "CREATE TABLE t (id INT PRIMARY KEY, body TEXT) DEFAULT CHARSET=utf8mb4",
                tidb(
                        "CREATE TABLE t (id INT PRIMARY KEY, body TEXT, FULLTEXT KEY ft (body)) ENGINE=InnoDB ROW_FORMAT=DYNAMIC "
                                + "PAGE_CHECKSUM=1 DEFAULT CHARSET=utf8mb4"));
        assertEquals(
                "CREATE TABLE t (id INT PRIMARY KEY, body TEXT)",
                tidb("CREATE TABLE t (id INT PRIMARY KEY, FULLTEXT (body), body TEXT) ENGINE = Aria TRANSACTIONAL=1"));
        assertEquals("ALTER TABLE t ADD COLUMN c INT", tidb("ALTER TABLE t ADD COLUMN c INT, ENGINE=InnoDB"));
        assertEquals(
                "ALTER TABLE t ADD INDEX ix (c)", tidb("ALTER TABLE t ADD FULLTEXT INDEX ft (b), ADD INDEX ix (c)"));
        assertEquals("ALTER TABLE t COMMENT='x'", tidb("ALTER TABLE t ROW_FORMAT=COMPRESSED COMMENT='x'"));
        assertNull(tidb("ALTER TABLE t ENGINE=InnoDB"), "nothing left to run");
        assertNull(tidb("CREATE FULLTEXT INDEX ft ON t (body)"));
        assertEquals(
                "ALTER TABLE t ADD COLUMN note VARCHAR(20) NULL",
                tidb("ALTER TABLE t ADD COLUMN note VARCHAR(20) NULL"));
    }

    @Test
    void tidb_refusesWhatItCannotDo_namingTheWorkaround() {
        assertTrue(refusedOnTidb("CREATE TABLE g (id INT PRIMARY KEY, p POINT NOT NULL, SPATIAL INDEX (p))", TIDB)
                .contains("spatial"));
        assertTrue(refusedOnTidb("ALTER TABLE g ADD COLUMN loc GEOMETRY", TIDB).contains("spatial"));
        assertTrue(refusedOnTidb(
                        "CREATE TABLE c (id INT, p INT, FOREIGN KEY (p) REFERENCES parent (id)) "
                                + "PARTITION BY HASH (id) PARTITIONS 4",
                        TIDB)
                .contains("partitioned"));
        assertTrue(
                refusedOnTidb("ALTER TABLE c ADD FOREIGN KEY (p) REFERENCES parent (id)", target("5.7.25-TiDB-v6.5.0"))
                        .contains("TiDB v6.5.0 accepts foreign keys"));
        assertTrue(refusedOnTidb("ALTER TABLE c ADD COLUMN a INT, ADD INDEX (a)", target("5.7.25-TiDB-v6.1.7"))
                .contains("one ALTER TABLE per change"));
        assertTrue(refusedOnTidb(
                        "CREATE TABLE t (a VARCHAR(10)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_uca1400_ai_ci", TIDB)
                .contains("uca1400"));
        assertTrue(refusedOnTidb("CREATE OR REPLACE TABLE t (a INT)", TIDB).contains("CREATE OR REPLACE"));
        assertTrue(refusedOnTidb("CREATE TABLE t (a INT) WITH SYSTEM VERSIONING", TIDB)
                .contains("system-versioned"));
        assertTrue(refusedOnTidb("ALTER TABLE g ADD COLUMN loc GEOMETRY", TIDB).contains("DDL journal"));
    }

    @Test
    void mysqlAndMariadbTargets_runStatementsAsTheyAre() {
        String sql =
                "CREATE TABLE t (id INT PRIMARY KEY, body TEXT, FULLTEXT KEY ft (body)) ENGINE=InnoDB ROW_FORMAT=DYNAMIC";
        assertEquals(
                sql,
                DdlTranslator.translate(DdlParser.parse(sql, "shop"), MARIADB).sql());
        assertEquals(
                sql,
                DdlTranslator.translate(DdlParser.parse(sql, "shop"), MYSQL).sql());
    }

    private static DdlMapper.Mapped map(String sql, String db, boolean snapshot, String... mapping) {
        return DdlMapper.map(DdlParser.parse(sql, db), TableMapping.parse(List.of(mapping)), snapshot);
    }

    @Test
    void mapping_identity_runsInTheRecordsDatabase() {
        assertEquals(
                new DdlMapper.Mapped("ALTER TABLE parent ADD COLUMN note INT", "shop"),
                map("ALTER TABLE parent ADD COLUMN note INT", "shop", false));
        assertEquals(new DdlMapper.Mapped("DROP DATABASE `shop`", null), map("DROP DATABASE `shop`", "shop", false));
    }

    @Test
    void mapping_databaseWildcard_rewritesQualifiersAndDatabaseNames() {
        assertEquals(
                new DdlMapper.Mapped(
                        "CREATE TABLE `shop2`.`child` (id INT, p INT, FOREIGN KEY (p) REFERENCES `shop2`.`parent` (id), "
                                + "FOREIGN KEY (p) REFERENCES `other`.t (id))",
                        null),
                map(
                        "CREATE TABLE `shop`.`child` (id INT, p INT, FOREIGN KEY (p) REFERENCES shop.`parent` (id), "
                                + "FOREIGN KEY (p) REFERENCES `other`.t (id))",
                        "shop",
                        false,
                        "shop.*=shop2.*"));
        assertEquals(
                new DdlMapper.Mapped("ALTER TABLE child ADD FOREIGN KEY (p) REFERENCES parent (id)", "shop2"),
                map("ALTER TABLE child ADD FOREIGN KEY (p) REFERENCES parent (id)", "shop", false, "shop.*=shop2.*"));
        assertEquals(
                new DdlMapper.Mapped("RENAME TABLE `shop2`.a TO `shop2`.b", null),
                map("RENAME TABLE shop.a TO shop.b", "shop", false, "shop.*=shop2.*"));
    }

    @Test
    void mapping_snapshot_createsOnlyWhatIsMissing() {
        assertEquals(
                new DdlMapper.Mapped(
                        "CREATE DATABASE IF NOT EXISTS `shop2` CHARSET latin1 COLLATE latin1_swedish_ci", null),
                map("CREATE DATABASE `shop` CHARSET latin1 COLLATE latin1_swedish_ci", "shop", true, "shop.*=shop2.*"));
        assertEquals(
                new DdlMapper.Mapped(
                        "CREATE TABLE IF NOT EXISTS `item` (`code` varchar(10) NOT NULL, PRIMARY KEY (`code`))",
                        "shop2"),
                map(
                        "CREATE TABLE `item` (`code` varchar(10) NOT NULL, PRIMARY KEY (`code`))",
                        "shop",
                        true,
                        "shop.*=shop2.*"));
        assertEquals(
                new DdlMapper.Mapped("CREATE TABLE IF NOT EXISTS t (a INT)", "shop"),
                map("CREATE TABLE IF NOT EXISTS t (a INT)", "shop", true));
    }

    @Test
    void mapping_tableLevelRenames_areRefused() {
        DdlRefusedException e = assertThrows(
                DdlRefusedException.class,
                () -> map("ALTER TABLE orders ADD COLUMN x INT", "shop", false, "shop.orders=shop2.orders_copy"));
        assertTrue(
                e.getMessage().contains("'table.mapping' maps table shop.orders to shop2.orders_copy"), e.getMessage());
        assertEquals(
                new DdlMapper.Mapped("ALTER TABLE orders ADD COLUMN x INT", "shop"),
                map("ALTER TABLE orders ADD COLUMN x INT", "shop", false, "shop.orders=shop.orders"),
                "an identity entry is fine");
        assertThrows(DdlRefusedException.class, () -> map("ALTER TABLE t ADD COLUMN x INT", "", false));
    }

    @Test
    void policy_snapshotOnlyCreates_systemSchemasAndTheSinksDatabaseAreNeverTouched() {
        DdlPolicy policy = new DdlPolicy("fksafe");
        assertEquals(
                DdlPolicy.Action.SKIP,
                policy.decide(DdlParser.parse("DROP TABLE IF EXISTS `shop`.`t`", "shop"), true)
                        .action());
        assertEquals(
                DdlPolicy.Action.SKIP,
                policy.decide(DdlParser.parse("DROP DATABASE IF EXISTS `shop`", "shop"), true)
                        .action());
        assertEquals(
                DdlPolicy.Action.RUN,
                policy.decide(DdlParser.parse("CREATE TABLE t (a INT)", "shop"), true)
                        .action());
        assertEquals(
                DdlPolicy.Action.RUN,
                policy.decide(DdlParser.parse("CREATE DATABASE `shop`", "shop"), true)
                        .action());
        assertEquals(
                DdlPolicy.Action.RUN,
                policy.decide(DdlParser.parse("DROP TABLE t", "shop"), false).action());
        assertEquals(
                DdlPolicy.Action.SKIP,
                policy.decide(DdlParser.parse("ALTER TABLE mysql.user ADD COLUMN x INT", "shop"), false)
                        .action());
        assertEquals(
                DdlPolicy.Action.SKIP,
                policy.decide(DdlParser.parse("CREATE TABLE t (a INT)", "performance_schema"), false)
                        .action());
        assertEquals(
                DdlPolicy.Action.SKIP,
                policy.decide(DdlParser.parse("DROP DATABASE FKSAFE", ""), false)
                        .action());
        assertEquals(
                DdlPolicy.Action.SKIP,
                policy.decide(DdlParser.parse("SET NAMES utf8mb4", ""), false).action());
        assertEquals(
                DdlPolicy.Action.REFUSE,
                policy.decide(DdlParser.parse("CREATE TABLE t AS SELECT 1", "shop"), false)
                        .action());
    }
}
