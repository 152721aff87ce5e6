package io.fksafe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fksafe.stack.Db;
import io.fksafe.stack.MariaDbServer;
import io.fksafe.stack.Verify;

/** {@code ./fksafe verify}'s comparison on two real servers: awkward names, empty databases, missing databases. */
class VerifyIT {

    private static MariaDbServer sourceServer;
    private static MariaDbServer targetServer;
    private static Db source;
    private static Db target;

    @BeforeAll
    static void up() throws Exception {
        Db.useDriverFrom(EmbeddedStack.PLUGINS);
        Path dir = EmbeddedStack.WORK.resolve("verify-" + System.currentTimeMillis());
        sourceServer = new MariaDbServer(
                "source",
                EmbeddedStack.WORK.resolve("mariadb"),
                dir.resolve("source"),
                EmbeddedStack.freePort(),
                false);
        targetServer = new MariaDbServer(
                "target",
                EmbeddedStack.WORK.resolve("mariadb"),
                dir.resolve("target"),
                EmbeddedStack.freePort(),
                false);
        sourceServer.start(Duration.ofMinutes(2));
        targetServer.start(Duration.ofMinutes(2));
        sourceServer.ensureAccount(EmbeddedStack.USER, EmbeddedStack.SOURCE_PASSWORD);
        targetServer.ensureAccount(EmbeddedStack.USER, EmbeddedStack.TARGET_PASSWORD);
        source = new Db("source", "127.0.0.1", sourceServer.port(), EmbeddedStack.USER, EmbeddedStack.SOURCE_PASSWORD);
        target = new Db("target", "127.0.0.1", targetServer.port(), EmbeddedStack.USER, EmbeddedStack.TARGET_PASSWORD);
    }

    @AfterAll
    static void down() {
        if (sourceServer != null) {
            sourceServer.stopAndDelete();
        }
        if (targetServer != null) {
            targetServer.stopAndDelete();
        }
    }

    private static final String DB = "`it's \"q\" a.b\\`";

    private static void quotedSchema(Db db) {
        db.exec(
                "CREATE DATABASE " + DB,
                "CREATE TABLE " + DB + ".`pa'r``ent` (`i'd` INT PRIMARY KEY, `n\"o``te` VARCHAR(10))",
                "CREATE TABLE " + DB + ".`ch\"ild` (id INT PRIMARY KEY, `pa'rent_id` INT, "
                        + "FOREIGN KEY (`pa'rent_id`) REFERENCES `pa'r``ent` (`i'd`))",
                "INSERT INTO " + DB + ".`pa'r``ent` VALUES (1, 'a''b'), (2, NULL)",
                "INSERT INTO " + DB + ".`ch\"ild` VALUES (10, 1), (20, 2)");
    }

    private static boolean printed(List<Verify.Row> rows, StringBuilder text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ok = Verify.print(rows, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        text.append(bytes.toString(StandardCharsets.UTF_8));
        return ok;
    }

    @Test
    void namesWithQuotesBackticksAndDots_areCompared_andDifferencesAndOrphansFound() {
        String name = "it's \"q\" a.b\\";
        quotedSchema(source);
        quotedSchema(target);
        StringBuilder out = new StringBuilder();
        assertTrue(printed(Verify.compare(source, target, name, Set.of()), out), out.toString());
        assertTrue(out.toString().contains(name + ".pa'r`ent"), out.toString());

        target.exec("UPDATE " + DB + ".`pa'r``ent` SET `n\"o``te` = 'changed' WHERE `i'd` = 1");
        target.exec("SET SESSION foreign_key_checks = 0", "DELETE FROM " + DB + ".`pa'r``ent` WHERE `i'd` = 2");
        List<Verify.Row> rows = Verify.compare(source, target, null, Set.of());
        Verify.Row parent = rows.stream()
                .filter(r -> r.table().equals(name + ".pa'r`ent"))
                .findFirst()
                .orElseThrow();
        Verify.Row child = rows.stream()
                .filter(r -> r.table().equals(name + ".ch\"ild"))
                .findFirst()
                .orElseThrow();
        assertEquals(2L, parent.sourceRows());
        assertEquals(1L, parent.targetRows());
        assertEquals(1, child.orphans(), "child 20 lost its parent on the target");
        assertFalse(printed(rows, new StringBuilder()));
    }

    @Test
    void emptyDatabaseOnBothSides_matches_butOneMissingOnEitherSideDoesNot() {
        source.exec("CREATE DATABASE empty_both");
        target.exec("CREATE DATABASE empty_both");
        StringBuilder out = new StringBuilder();
        assertEquals(List.of(), Verify.compare(source, target, "empty_both", Set.of()));
        assertTrue(printed(List.of(), out), out.toString());
        assertTrue(out.toString().contains("no tables"), out.toString());

        source.exec("CREATE DATABASE only_source");
        List<Verify.Row> rows = Verify.compare(source, target, "only_source", Set.of());
        assertEquals(
                List.of("only_source (database)"),
                rows.stream().map(Verify.Row::table).toList());
        assertFalse(printed(rows, new StringBuilder()));
        assertFalse(
                printed(Verify.compare(source, target, "no_such_db", Set.of()), new StringBuilder()),
                "a database on neither side is reported, not taken as equal");
    }
}
