package io.fksafe.sink.ddl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

import io.fksafe.sink.testing.ChangeStream;
import io.fksafe.sink.testing.TableDef;
import io.fksafe.sink.testing.TaskRunner;
import io.fksafe.sink.testing.TestDatabase;

/**
 * Schema changes replicated through the task onto a real MariaDB, in stream order with the rows around them. Each
 * test also runs the same SQL on a "source" database and compares the two catalogs (columns, indexes, foreign keys
 * with their rules, checks).
 */
class DdlReplicationTest {

    static final String[]
            CAPTURED_SNAPSHOT_DDL = { // connect-smt/src/test/resources/debezium/mariadb/snapshot.json, verbatim
        "DROP TABLE IF EXISTS `shop`.`audit_log`",
        "DROP TABLE IF EXISTS `shop`.`child`",
        "DROP TABLE IF EXISTS `shop`.`item`",
        "DROP TABLE IF EXISTS `shop`.`parent`",
        "DROP DATABASE IF EXISTS `shop`",
        "CREATE DATABASE `shop` CHARSET latin1 COLLATE latin1_swedish_ci",
        "USE `shop`",
        "CREATE TABLE `audit_log` (\n  `id` bigint(20) NOT NULL AUTO_INCREMENT,\n  `msg` varchar(50) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n"
                + ") ENGINE=InnoDB AUTO_INCREMENT=2 DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci",
        "CREATE TABLE `child` (\n  `id` int(11) NOT NULL,\n  `parent_id` int(11) NOT NULL,\n  `name` varchar(20) DEFAULT NULL,\n"
                + "  PRIMARY KEY (`id`),\n  KEY `parent_id` (`parent_id`),\n  CONSTRAINT `child_ibfk_1` FOREIGN KEY (`parent_id`) "
                + "REFERENCES `parent` (`id`) ON DELETE CASCADE ON UPDATE CASCADE\n) ENGINE=InnoDB DEFAULT CHARSET=latin1 "
                + "COLLATE=latin1_swedish_ci",
        "CREATE TABLE `item` (\n  `code` varchar(10) NOT NULL,\n  `n` bigint(20) NOT NULL,\n  `label` varchar(20) DEFAULT NULL,\n"
                + "  PRIMARY KEY (`code`,`n`)\n) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci",
        "CREATE TABLE `parent` (\n  `id` int(11) NOT NULL,\n  `name` varchar(20) NOT NULL,\n  PRIMARY KEY (`id`)\n"
                + ") ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci"
    };

    static final TableDef SHOP_PARENT =
            TableDef.of("shop", "parent").key("id", Schema.INT64_SCHEMA).col("name", Schema.STRING_SCHEMA);
    static final TableDef SHOP_CHILD = TableDef.of("shop", "child")
            .key("id", Schema.INT64_SCHEMA)
            .col("parent_id", Schema.INT64_SCHEMA)
            .col("name", Schema.OPTIONAL_STRING_SCHEMA);

    private final TestDatabase db = TestDatabase.get();

    /** A database name no one has used; not created. */
    private String unusedName(String prefix) {
        String name = db.newDatabase(prefix);
        db.exec("DROP DATABASE `" + name + "`");
        return name;
    }

    /** The source side for comparisons: the same statements run directly, in order, in a fresh database. */
    private String sourceWith(String... statements) {
        String source = db.newDatabase("ddlsrc");
        List<String> all = new ArrayList<>(List.of("USE `" + source + "`"));
        all.addAll(List.of(statements));
        db.exec(all.toArray(new String[0]));
        return source;
    }

    private static Map<String, String> props(String connector, String... extra) {
        return TaskRunner.props(connector, extra);
    }

    @Test
    void snapshot_capturedStatements_createDatabaseAndTablesChildBeforeParent_neverDrop_thenRowsFollow() {
        String target = unusedName("ddlsnap");
        ChangeStream stream = new ChangeStream()
                .snapshotDdl("", "SET character_set_server=latin1, collation_server=latin1_swedish_ci")
                .snapshotDdl("shop", CAPTURED_SNAPSHOT_DDL)
                .snapshot(SHOP_CHILD.read(1L, 1L, "a1"), SHOP_PARENT.read(1L, "a"))
                .tx(SHOP_PARENT.insert(2L, "b"), SHOP_CHILD.insert(2L, 2L, "b1"));
        try (TaskRunner t = new TaskRunner(props("ddl-snap-" + target, "table.mapping", "shop.*=" + target + ".*"))) {
            assertEquals(
                    stream.size(), t.deliver(stream.all()).get(TaskRunner.TP).offset());
        }
        String source = sourceWith(
                "SET foreign_key_checks = 0",
                CAPTURED_SNAPSHOT_DDL[7],
                CAPTURED_SNAPSHOT_DDL[8],
                CAPTURED_SNAPSHOT_DDL[9],
                CAPTURED_SNAPSHOT_DDL[10]);
        assertEquals(CatalogView.of(db, source), CatalogView.of(db, target));
        assertEquals(
                List.of(List.of("latin1", "latin1_swedish_ci")),
                db.query("SELECT DEFAULT_CHARACTER_SET_NAME, "
                        + "DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + target
                        + "'"));
        assertEquals(
                List.of(List.of("1", "1", "a1"), List.of("2", "2", "b1")),
                db.query("SELECT id, parent_id, name FROM `" + target + "`.child ORDER BY id"));
    }

    @Test
    void snapshot_neverDropsOrReplacesWhatTheTargetHas() {
        String target = db.newDatabase("ddlkeep");
        db.exec(
                "CREATE TABLE `" + target + "`.parent (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, extra INT)",
                "INSERT INTO `" + target + "`.parent VALUES (7, 'kept', 1)");
        ChangeStream stream = new ChangeStream().snapshotDdl("shop", CAPTURED_SNAPSHOT_DDL);
        try (TaskRunner t = new TaskRunner(props("ddl-keep-" + target, "table.mapping", "shop.*=" + target + ".*"))) {
            t.deliver(stream.all());
        }
        assertEquals(List.of(List.of("7", "kept", "1")), db.query("SELECT * FROM `" + target + "`.parent"));
        assertEquals(
                List.of(List.of("audit_log"), List.of("child"), List.of("item"), List.of("parent")),
                db.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + target
                        + "' ORDER BY 1"));
    }

    @Test
    void newDatabaseOnTheSource_appearsOnTheTargetWithItsForeignKeys_andItsRowsFollow() {
        String shop = unusedName("ddlnew"); // identity mapping: source and target database share the name
        TableDef parent =
                TableDef.of(shop, "parent").key("id", Schema.INT64_SCHEMA).col("name", Schema.STRING_SCHEMA);
        TableDef child = TableDef.of(shop, "child")
                .key("id", Schema.INT64_SCHEMA)
                .col("parent_id", Schema.OPTIONAL_INT64_SCHEMA);
        String[] ddl = {
            "CREATE TABLE parent (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL, UNIQUE KEY uq_name (name))",
            "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT NULL, "
                    + "CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE SET NULL ON UPDATE CASCADE)"
        };
        ChangeStream stream = new ChangeStream()
                .ddl(shop, "CREATE DATABASE `" + shop + "`")
                .ddl(shop, ddl[0])
                .ddl(shop, ddl[1])
                .tx(parent.insert(1L, "a"), child.insert(10L, 1L))
                .tx(parent.delete(1L)); // the target's own ON DELETE SET NULL runs
        try (TaskRunner t = new TaskRunner(props("ddl-newdb-" + shop))) {
            t.deliver(stream.all());
        }
        assertEquals(CatalogView.of(db, sourceWith(ddl)), CatalogView.of(db, shop));
        assertEquals(
                List.of(java.util.Arrays.asList("10", null)),
                db.query("SELECT id, parent_id FROM `" + shop + "`.child"));
    }

    @Test
    void streamed_childBeforeParent_asADumpRestoredWithFkChecksOff_isCreated() {
        String target = db.newDatabase("ddlorder");
        String[] ddl = {
            "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL, FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE)",
            "CREATE TABLE parent (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL)"
        };
        ChangeStream stream = new ChangeStream()
                .ddl("shop", ddl[0])
                .ddl("shop", ddl[1])
                .tx(
                        SHOP_PARENT.insert(1L, "a"),
                        TableDef.of("shop", "child")
                                .key("id", Schema.INT64_SCHEMA)
                                .col("parent_id", Schema.INT64_SCHEMA)
                                .insert(5L, 1L))
                .tx(SHOP_PARENT.delete(1L));
        try (TaskRunner t = new TaskRunner(props("ddl-order-" + target, "table.mapping", "shop.*=" + target + ".*"))) {
            t.deliver(stream.all());
        }
        assertEquals(
                CatalogView.of(db, sourceWith("SET foreign_key_checks = 0", ddl[0], ddl[1])),
                CatalogView.of(db, target));
        assertEquals(0, db.count("SELECT COUNT(*) FROM `" + target + "`.child"), "the target's cascade ran");
    }

    @Test
    void addAndDropForeignKeys_withTheirRules_matchTheSource() {
        String target = db.newDatabase("ddlfk");
        String[] ddl = {
            "CREATE TABLE parent (id BIGINT PRIMARY KEY, code VARCHAR(10) NOT NULL, UNIQUE KEY uq_code (code))",
            "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT NULL, parent_code VARCHAR(10) NULL)",
            "ALTER TABLE child ADD FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE SET NULL ON UPDATE CASCADE",
            "ALTER TABLE child ADD CONSTRAINT fk_code FOREIGN KEY (parent_code) REFERENCES parent (code) ON DELETE RESTRICT",
            "ALTER TABLE child ADD CONSTRAINT fk_gone FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE",
            "ALTER TABLE child DROP FOREIGN KEY fk_gone"
        };
        ChangeStream stream = new ChangeStream();
        for (String sql : ddl) {
            stream.ddl("shop", sql);
        }
        try (TaskRunner t = new TaskRunner(props("ddl-fk-" + target, "table.mapping", "shop.*=" + target + ".*"))) {
            t.deliver(stream.all());
        }
        assertEquals(CatalogView.of(db, sourceWith(ddl)), CatalogView.of(db, target));
        List<List<String>> fks = CatalogView.foreignKeys(db, target);
        assertEquals(2, fks.size(), fks.toString());
        assertTrue(
                fks.stream()
                        .anyMatch(r -> r.get(4).equals("parent_id")
                                && r.get(8).equals("CASCADE")
                                && r.get(9).equals("SET NULL")),
                fks.toString());
        assertTrue(
                fks.stream()
                        .anyMatch(r -> r.get(2).equals("fk_code") && r.get(9).equals("RESTRICT")),
                fks.toString());
    }

    @Test
    void addColumn_thenRowsThatUseIt() {
        String target = db.newDatabase("ddlcol");
        db.exec("CREATE TABLE `" + target + "`.parent (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL)");
        TableDef withNote = TableDef.of("shop", "parent")
                .key("id", Schema.INT64_SCHEMA)
                .col("name", Schema.STRING_SCHEMA)
                .col("note", Schema.OPTIONAL_STRING_SCHEMA);
        ChangeStream stream = new ChangeStream()
                .tx(SHOP_PARENT.insert(1L, "a"))
                .ddl("shop", "ALTER TABLE parent ADD COLUMN note VARCHAR(20) NULL") // the captured statement
                .tx(withNote.insert(2L, "b", "n"), withNote.update(1L, "a", "later"));
        try (TaskRunner t = new TaskRunner(props("ddl-col-" + target, "table.mapping", "shop.*=" + target + ".*"))) {
            t.task.put(stream.range(0, 2));
            t.task.put(stream.from(2)); // the DDL, then rows planned against the refreshed metadata, in one put
            t.task.put(List.of());
            assertEquals(
                    stream.size(), t.preCommit(stream.size()).get(TaskRunner.TP).offset());
        }
        assertEquals(
                List.of(List.of("1", "a", "later"), List.of("2", "b", "n")),
                db.query("SELECT id, name, note FROM `" + target + "`.parent ORDER BY id"));
    }

    @Test
    void renameTable_andIndexes_thenRowsGoToTheNewName() {
        String target = db.newDatabase("ddlren");
        String[] ddl = {
            "CREATE TABLE orders (id BIGINT PRIMARY KEY, total INT NOT NULL, note VARCHAR(20))",
            "CREATE INDEX ix_total ON orders (total)",
            "ALTER TABLE orders ADD INDEX (note, total), ADD UNIQUE KEY uq_note (note)",
            "RENAME TABLE orders TO purchases",
            "ALTER TABLE purchases RENAME INDEX ix_total TO ix_amount, CHANGE COLUMN total amount INT NOT NULL",
            "DROP INDEX uq_note ON purchases"
        };
        ChangeStream stream = new ChangeStream();
        for (String sql : ddl) {
            stream.ddl("shop", sql);
        }
        TableDef purchases = TableDef.of("shop", "purchases")
                .key("id", Schema.INT64_SCHEMA)
                .col("amount", Schema.INT32_SCHEMA)
                .col("note", Schema.OPTIONAL_STRING_SCHEMA);
        stream.tx(purchases.insert(1L, 5, "x"));
        try (TaskRunner t = new TaskRunner(props("ddl-ren-" + target, "table.mapping", "shop.*=" + target + ".*"))) {
            t.deliver(stream.all());
        }
        assertEquals(CatalogView.of(db, sourceWith(ddl)), CatalogView.of(db, target));
        assertEquals(List.of(List.of("1", "5", "x")), db.query("SELECT * FROM `" + target + "`.purchases"));
    }

    @Test
    void dropTableAndDatabase_runInStreamOrder() {
        String shop = db.newDatabase("ddldrop");
        db.exec(
                "CREATE TABLE `" + shop + "`.t1 (id INT PRIMARY KEY)",
                "CREATE TABLE `" + shop + "`.t2 (id INT PRIMARY KEY)");
        ChangeStream stream = new ChangeStream().ddl(shop, "DROP TABLE t1 /* generated by server */");
        try (TaskRunner t = new TaskRunner(props("ddl-drop-" + shop))) {
            t.deliver(stream.all());
            assertEquals(
                    List.of(List.of("t2")),
                    db.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + shop + "'"));
            stream.ddl(shop, "DROP DATABASE `" + shop + "`");
            t.deliver(stream.from(2));
        }
        assertEquals(
                0, db.count("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + shop + "'"));
    }

    @Test
    void droppingAParentStillReferenced_runsWithChecksOff_asTheSourceMustHave() {
        String target = db.newDatabase("ddldropref");
        db.exec(
                "USE `" + target + "`",
                "CREATE TABLE parent (id BIGINT PRIMARY KEY)",
                "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT, FOREIGN KEY (parent_id) REFERENCES parent (id))");
        ChangeStream stream = new ChangeStream().ddl("shop", "DROP TABLE parent");
        try (TaskRunner t =
                new TaskRunner(props("ddl-dropref-" + target, "table.mapping", "shop.*=" + target + ".*"))) {
            t.deliver(stream.all());
        }
        assertEquals(
                List.of(List.of("child")),
                db.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + target + "'"));
    }

    @Test
    void statementsThatAreNotReplicated_neverRun_andTheirOffsetsMove() {
        String target = db.newDatabase("ddlskip");
        db.exec("CREATE TABLE `" + target + "`.parent (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL)");
        ChangeStream stream = new ChangeStream()
                .ddl("", "SET character_set_server=latin1, collation_server=latin1_swedish_ci")
                .ddl("shop", "CREATE TRIGGER trg AFTER INSERT ON parent FOR EACH ROW SET @x = 1")
                .ddl("shop", "CREATE DEFINER=`root`@`localhost` VIEW v AS SELECT id FROM parent")
                .ddl("shop", "TRUNCATE TABLE parent")
                .ddl("mysql", "CREATE TABLE mysql.fksafe_should_not_exist (a INT)")
                .ddl("fksafe_test", "DROP TABLE fksafe_test.checkpoint")
                .tx(SHOP_PARENT.insert(1L, "a"));
        try (TaskRunner t = new TaskRunner(props("ddl-skip-" + target, "table.mapping", "shop.*=" + target + ".*"))) {
            assertEquals(
                    stream.size(), t.deliver(stream.all()).get(TaskRunner.TP).offset());
        }
        assertEquals(
                List.of(List.of("parent")),
                db.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + target + "'"));
        assertEquals(
                0,
                db.count("SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '" + target + "'"));
        assertEquals(
                0,
                db.count(
                        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME = 'fksafe_should_not_exist'"));
        assertEquals(
                1,
                db.count(
                        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'fksafe_test' AND TABLE_NAME = 'checkpoint'"));
        assertEquals(1, db.count("SELECT COUNT(*) FROM `" + target + "`.parent"));
    }

    @Test
    void tableLevelMapping_isRefusedWithTheFix_andARowMarkedDoneByHandLetsItGoOn() {
        String target = db.newDatabase("ddlmap");
        db.exec("CREATE TABLE `" + target + "`.orders_copy (id BIGINT PRIMARY KEY)");
        String connector = "ddl-map-" + target;
        Map<String, String> props = props(connector, "table.mapping", "shop.orders=" + target + ".orders_copy");
        ChangeStream stream = new ChangeStream()
                .ddl("shop", "ALTER TABLE orders ADD COLUMN x INT")
                .tx(TableDef.of("shop", "orders")
                        .key("id", Schema.INT64_SCHEMA)
                        .col("x", Schema.OPTIONAL_INT32_SCHEMA)
                        .insert(1L, 7));
        TaskRunner first = new TaskRunner(props);
        ConnectException e = assertThrows(ConnectException.class, () -> first.deliver(stream.all()));
        first.close();
        assertTrue(
                e.getMessage().contains("'table.mapping' maps table shop.orders to " + target + ".orders_copy"),
                e.getMessage());
        String fix = e.getMessage().replaceAll("(?s).*record it as done with: (INSERT INTO .*?); and restart.*", "$1");
        assertTrue(fix.startsWith("INSERT INTO `fksafe_test`.`fksafe_ddl_journal`"), fix);
        db.exec("ALTER TABLE `" + target + "`.orders_copy ADD COLUMN x INT", fix); // what an operator does
        try (TaskRunner second = new TaskRunner(props)) {
            second.deliver(stream.all());
        }
        assertEquals(List.of(List.of("1", "7")), db.query("SELECT * FROM `" + target + "`.orders_copy"));
    }

    @Test
    void ddlModeFail_stopsAfterTheRowsBeforeIt_andSkipGoesOn() {
        String target = db.newDatabase("ddlmode");
        db.exec("CREATE TABLE `" + target + "`.parent (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL)");
        ChangeStream stream = new ChangeStream()
                .tx(SHOP_PARENT.insert(1L, "a"))
                .ddl("shop", "ALTER TABLE parent ADD COLUMN note VARCHAR(20) NULL")
                .tx(SHOP_PARENT.insert(2L, "b"));
        TaskRunner failing = new TaskRunner(
                props("ddl-fail-" + target, "table.mapping", "shop.*=" + target + ".*", "ddl.mode", "fail"));
        ConnectException e = assertThrows(ConnectException.class, () -> failing.deliver(stream.all()));
        assertTrue(e.getMessage().contains("'ddl.mode' is 'fail'"), e.getMessage());
        assertEquals(
                2L,
                failing.preCommit(stream.size()).get(TaskRunner.TP).offset(),
                "the row and the BEGIN before the DDL");
        failing.close();
        try (TaskRunner skipping = new TaskRunner(
                props("ddl-fail-" + target, "table.mapping", "shop.*=" + target + ".*", "ddl.mode", "skip"))) {
            assertEquals(
                    stream.size(),
                    skipping.deliver(stream.all()).get(TaskRunner.TP).offset());
        }
        assertEquals(
                0,
                db.count("SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + target
                        + "' AND COLUMN_NAME = 'note'"));
        assertEquals(2, db.count("SELECT COUNT(*) FROM `" + target + "`.parent"));
    }

    @Test
    void targetRejectsTheStatement_stopsNamingItAndTheFix_andRestartsOnceTheTargetIsFixed() {
        String target = db.newDatabase("ddlrej");
        db.exec("CREATE TABLE `" + target
                + "`.t (id INT PRIMARY KEY, other INT)"); // someone made it by hand, differently
        String connector = "ddl-rej-" + target;
        Map<String, String> props = props(connector, "table.mapping", "shop.*=" + target + ".*");
        ChangeStream stream = new ChangeStream().ddl("shop", "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10))");
        TaskRunner first = new TaskRunner(props);
        ConnectException e = assertThrows(ConnectException.class, () -> first.deliver(stream.all()));
        first.close();
        assertTrue(
                e.getMessage()
                                .contains(
                                        "the target rejected schema change 'CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(10))'")
                        && e.getMessage().contains("1050"),
                e.getMessage());
        db.exec("DROP TABLE `" + target + "`.t"); // the operator decides the replicated definition wins
        try (TaskRunner second = new TaskRunner(props)) {
            assertEquals(
                    stream.size(),
                    second.deliver(stream.all()).get(TaskRunner.TP).offset());
        }
        assertEquals(
                List.of(List.of("id"), List.of("name")),
                db.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS " + "WHERE TABLE_SCHEMA = '" + target
                        + "' AND TABLE_NAME = 't' ORDER BY ORDINAL_POSITION"));
    }
}
