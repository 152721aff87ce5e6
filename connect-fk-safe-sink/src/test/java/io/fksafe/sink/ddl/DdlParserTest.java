package io.fksafe.sink.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Classification and catalog effects of the statements Debezium reports, including every one of the real captures. */
class DdlParserTest {

    private static DdlStatement parse(String sql) {
        return DdlParser.parse(sql, "shop");
    }

    private static List<String> effects(DdlStatement s) {
        return s.effects.stream()
                .map(e -> (e.adds() ? "+" : "-") + e.probe().describe())
                .toList();
    }

    private static List<String> tables(DdlStatement s) {
        return s.tables.stream().map(t -> s.databaseOf(t) + "." + t.tableName()).toList();
    }

    @Test
    void capturedSnapshotDdl_isClassifiedStatementByStatement() {
        assertEquals(
                DdlKind.SESSION,
                DdlParser.parse("SET character_set_server=latin1, collation_server=latin1_swedish_ci", "").kind);
        DdlStatement dropTable = parse("DROP TABLE IF EXISTS `shop`.`audit_log`");
        assertEquals(DdlKind.DROP_TABLE, dropTable.kind);
        assertEquals(List.of("-table shop.audit_log"), effects(dropTable));
        DdlStatement dropDb = parse("DROP DATABASE IF EXISTS `shop`");
        assertEquals(DdlKind.DROP_DATABASE, dropDb.kind);
        assertEquals(List.of("-database shop"), effects(dropDb));
        DdlStatement createDb = parse("CREATE DATABASE `shop` CHARSET latin1 COLLATE latin1_swedish_ci");
        assertEquals(DdlKind.CREATE_DATABASE, createDb.kind);
        assertEquals(List.of("+database shop"), effects(createDb));
        assertEquals(DdlKind.SESSION, parse("USE `shop`").kind);
        DdlStatement child = parse("CREATE TABLE `child` (\n  `id` int(11) NOT NULL,\n  `parent_id` int(11) NOT NULL,\n"
                + "  `name` varchar(20) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `parent_id` (`parent_id`),\n"
                + "  CONSTRAINT `child_ibfk_1` FOREIGN KEY (`parent_id`) REFERENCES `parent` (`id`) ON DELETE CASCADE ON UPDATE CASCADE\n"
                + ") ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci");
        assertEquals(DdlKind.CREATE_TABLE, child.kind);
        assertEquals(List.of("shop.child", "shop.parent"), tables(child));
        assertEquals(List.of("+table shop.child"), effects(child));
        assertTrue(child.has(DdlStatement.PartKind.FOREIGN_KEY));
        assertEquals(
                "ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci",
                child.sql.substring(
                        child.tableOptions.get(0).start(),
                        child.tableOptions.get(child.tableOptions.size() - 1).end()));
    }

    @Test
    void capturedStreamedAlter_addsAColumn() {
        DdlStatement s = parse("ALTER TABLE parent ADD COLUMN note VARCHAR(20) NULL");
        assertEquals(DdlKind.ALTER_TABLE, s.kind);
        assertEquals(List.of("+column shop.parent.note"), effects(s));
        assertTrue(s.needsContext());
    }

    @Test
    void alterTable_eachSpecificationHasItsEffect() {
        assertEquals(
                List.of("+foreign key shop.child [parent_id] -> shop.parent [id]"),
                effects(parse(
                        "ALTER TABLE child ADD FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE SET NULL")));
        assertEquals(
                List.of("+constraint fk_p on shop.child"),
                effects(parse(
                        "alter table child add constraint fk_p foreign key (parent_id) references other.parent(id)")));
        assertEquals(
                List.of("-constraint fk_p on shop.child"), effects(parse("ALTER TABLE child DROP FOREIGN KEY fk_p")));
        assertEquals(
                List.of(
                        "+index on shop.child [a, b]",
                        "+index ux on shop.child",
                        "-index old on shop.child",
                        "+index PRIMARY on shop.child",
                        "-index PRIMARY on shop.child"),
                effects(parse("ALTER TABLE child ADD INDEX (a, b(10) DESC), ADD UNIQUE KEY ux (c), DROP INDEX old, "
                        + "ADD PRIMARY KEY (id), DROP PRIMARY KEY")));
        assertEquals(
                List.of(
                        "-column shop.t.a",
                        "+column shop.t.b",
                        "+column shop.t.c",
                        "+column shop.t.d",
                        "-column shop.t.e"),
                effects(parse("ALTER TABLE t CHANGE COLUMN a b INT, ADD (c INT, d INT), DROP e")));
        assertEquals(
                List.of("+check constraints on shop.t", "+constraint ck on shop.t", "-constraint ck2 on shop.t"),
                effects(parse(
                        "ALTER TABLE t ADD CHECK (a > 0), ADD CONSTRAINT ck CHECK (b > 0), DROP CONSTRAINT ck2")));
        assertEquals(
                List.of("-column shop.t.a", "+column shop.t.b", "-index i on shop.t", "+index j on shop.t"),
                effects(parse("ALTER TABLE t RENAME COLUMN a TO b, RENAME INDEX i TO j")));
    }

    @Test
    void alterTable_thatOnlyRestates_isRerunnable_andPartitionChangesAreUncheckable() {
        DdlStatement modify =
                parse("ALTER TABLE t MODIFY COLUMN a BIGINT NOT NULL, ALTER COLUMN b SET DEFAULT 3, ENGINE=InnoDB");
        assertTrue(modify.effects.isEmpty());
        assertTrue(modify.rerunnable);
        assertNull(modify.uncheckable);
        DdlStatement partition = parse("ALTER TABLE t ADD PARTITION (PARTITION p3 VALUES LESS THAN (300))");
        assertFalse(partition.rerunnable);
        assertNotNull(partition.uncheckable);
        DdlStatement addWithPartition = parse("ALTER TABLE t ADD COLUMN x INT, REMOVE PARTITIONING");
        assertEquals(
                List.of("+column shop.t.x"), effects(addWithPartition), "a countable effect decides the atomic rest");
    }

    @Test
    void alterTableRename_isDecidedByTheTableNamesAlone() {
        DdlStatement s = parse("ALTER TABLE a RENAME TO b, ADD COLUMN c INT");
        assertEquals(List.of("-table shop.a", "+table shop.b"), effects(s));
        assertEquals(List.of("shop.a", "shop.b"), tables(s));
    }

    @Test
    void renameTable_pairs_andSwapsAreUncheckable() {
        DdlStatement s = parse("RENAME TABLE a TO b, other.c TO other.d");
        assertEquals(List.of("-table shop.a", "+table shop.b", "-table other.c", "+table other.d"), effects(s));
        assertNull(s.uncheckable);
        assertNotNull(parse("RENAME TABLE a TO tmp, b TO a, tmp TO b").uncheckable);
    }

    @Test
    void indexesAndMultiTableDrop() {
        assertEquals(List.of("+index ix on shop.t"), effects(parse("CREATE UNIQUE INDEX ix USING BTREE ON t (a)")));
        assertEquals(
                DdlStatement.PartKind.FULLTEXT,
                parse("CREATE FULLTEXT INDEX ft ON t (body)").parts.get(0).kind());
        assertEquals(List.of("-index ix on shop.t"), effects(parse("DROP INDEX ix ON t")));
        DdlStatement drop = parse("DROP TABLE `a`, other.b /* generated by server */");
        assertEquals(List.of("-table shop.a", "-table other.b"), effects(drop));
        assertFalse(drop.atomic);
        assertTrue(parse("DROP TABLE a").atomic);
    }

    @Test
    void skippedKinds_sayWhy() {
        for (String sql : List.of(
                "CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW INSERT INTO audit VALUES (NEW.id)",
                "CREATE DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW v AS SELECT 1",
                "CREATE OR REPLACE ALGORITHM=MERGE VIEW v AS SELECT 1",
                "DROP VIEW IF EXISTS v",
                "CREATE TEMPORARY TABLE tmp (a INT)",
                "DROP TEMPORARY TABLE IF EXISTS tmp",
                "TRUNCATE TABLE t",
                "GRANT SELECT ON shop.* TO 'u'@'%'",
                "CREATE PROCEDURE p() BEGIN SELECT 1; END".replace(";", ""),
                "ALTER DEFINER=`root`@`%` VIEW v AS SELECT 2",
                "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO DELETE FROM t")) {
            DdlStatement s = parse(sql);
            assertEquals(DdlKind.NOT_REPLICATED, s.kind, sql);
            assertNotNull(s.reason, sql);
        }
        assertEquals(DdlKind.NO_SCHEMA_CHANGE, parse("ANALYZE TABLE t").kind);
        assertEquals(DdlKind.NO_SCHEMA_CHANGE, parse("FLUSH TABLES").kind);
    }

    @Test
    void unreadableStatements_areRefused_notGuessed() {
        assertEquals(DdlKind.UNSUPPORTED, parse("CREATE TABLE t2 AS SELECT * FROM t").kind);
        assertEquals(DdlKind.UNSUPPORTED, parse("CREATE TABLE t2 (a INT) SELECT a FROM t").kind);
        assertEquals(DdlKind.UNSUPPORTED, parse("ALTER TABLE t ADD COLUMN a INT; DROP TABLE t").kind);
        assertEquals(DdlKind.UNSUPPORTED, parse("FROBNICATE t").kind);
        assertEquals(
                DdlKind.ALTER_TABLE, parse("ALTER TABLE t ADD COLUMN a INT;").kind, "a trailing semicolon is fine");
    }

    @Test
    void commentsAndExecutableComments() {
        DdlStatement s = parse(
                "/* hi */ CREATE TABLE `t` (`a` INT) -- trailing\n /*!50100 PARTITION BY HASH (a) PARTITIONS 2 */");
        assertEquals(DdlKind.CREATE_TABLE, s.kind);
        assertTrue(s.partitioned);
        assertEquals(List.of("+table shop.t"), effects(s));
        DdlStatement quoted = parse("CREATE TABLE `we``ird` (`select` INT, `from` TEXT COMMENT 'a, b; c')");
        assertEquals(List.of("+table shop.we`ird"), effects(quoted));
        assertEquals(2, quoted.parts.size());
    }

    @Test
    void createTableLikeAndOrReplace() {
        DdlStatement like = parse("CREATE TABLE IF NOT EXISTS t2 LIKE other.t");
        assertEquals(List.of("shop.t2", "other.t"), tables(like));
        assertEquals(List.of("+table shop.t2"), effects(like));
        assertTrue(like.ifNotExists);
        DdlStatement replace = parse("CREATE OR REPLACE TABLE t (a INT)");
        assertTrue(replace.effects.isEmpty());
        assertTrue(replace.rerunnable);
    }
}
