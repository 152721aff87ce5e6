package io.fksafe.smt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

import io.fksafe.smt.DebeziumToChangeRecordConfig.NonDebeziumHandling;
import io.fksafe.smt.DebeziumToChangeRecordConfig.SafeMode;
import io.fksafe.smt.DebeziumToChangeRecordConfig.TruncateHandling;

class DebeziumToChangeRecordConfigTest {

    @Test
    void defaults() {
        DebeziumToChangeRecordConfig c = new DebeziumToChangeRecordConfig(Map.of());
        assertEquals(SafeMode.NEVER, c.safeMode());
        assertTrue(c.windows().isEmpty());
        assertFalse(c.snapshotSafe()); // safe.mode.snapshot applies in window mode only
        assertEquals(TruncateHandling.FAIL, c.truncateHandling());
        assertEquals(NonDebeziumHandling.PASSTHROUGH, c.nonDebeziumHandling());
        assertEquals(256, c.schemaCacheSize());
    }

    @Test
    void windowModeMarksSnapshotsByDefaultAndValuesAreCaseInsensitive() {
        DebeziumToChangeRecordConfig c = new DebeziumToChangeRecordConfig(Map.of(
                "safe.mode",
                "WINDOW",
                "safe.mode.windows",
                "0-1-1..0-1-9, file=mysql-bin.000002;pos=4;row=0..file=mysql-bin.000002;pos=9;row=0",
                "truncate.handling",
                "Skip",
                "non.debezium.handling",
                "FAIL"));
        assertEquals(SafeMode.WINDOW, c.safeMode());
        assertTrue(c.snapshotSafe());
        assertFalse(c.windows().isEmpty());
        assertEquals(TruncateHandling.SKIP, c.truncateHandling());
        assertEquals(NonDebeziumHandling.FAIL, c.nonDebeziumHandling());
    }

    @Test
    void unknownValuesNameTheKeyAndTheChoices() {
        assertMessage(Map.of("safe.mode", "sometimes"), "safe.mode", "NEVER");
        assertMessage(Map.of("truncate.handling", "ignore"), "truncate.handling", "SKIP");
        assertMessage(Map.of("non.debezium.handling", "drop"), "non.debezium.handling", "PASSTHROUGH");
        assertMessage(Map.of("schema.cache.size", "0"), "schema.cache.size", "at least 1");
    }

    @Test
    void windowsOutsideWindowModeAreRejectedWithTheFix() {
        assertMessage(Map.of("safe.mode.windows", "0-1-1..0-1-9"), "safe.mode.windows", "set 'safe.mode=window'");
        assertMessage(
                Map.of("safe.mode", "always", "safe.mode.windows", "0-1-1..0-1-9"), "safe.mode.windows", "'always'");
    }

    @Test
    void windowModeThatMarksNothingIsRejected() {
        assertMessage(
                Map.of("safe.mode", "window", "safe.mode.snapshot", "false"), "safe.mode.windows", "marks nothing");
    }

    @Test
    void badWindowIsRejectedInConfigure() {
        DebeziumToChangeRecord<?> smt = new DebeziumToChangeRecord<>();
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> smt.configure(Map.of("safe.mode", "window", "safe.mode.windows", "0-1-9..0-1-1")));
        assertTrue(
                e.getMessage().contains("safe.mode.windows") && e.getMessage().contains("swap"), e.getMessage());
    }

    @Test
    void configDefDocumentsEveryKeyInAGroup() {
        var def = new DebeziumToChangeRecord<>().config();
        assertEquals(
                java.util.Set.of(
                        "safe.mode",
                        "safe.mode.windows",
                        "safe.mode.snapshot",
                        "truncate.handling",
                        "non.debezium.handling",
                        "schema.cache.size"),
                def.names());
        def.configKeys().values().forEach(k -> {
            assertFalse(k.documentation.isBlank(), k.name);
            assertTrue(k.group != null && k.displayName != null, k.name);
        });
    }

    private static void assertMessage(Map<String, String> props, String key, String fix) {
        ConfigException e = assertThrows(ConfigException.class, () -> new DebeziumToChangeRecordConfig(props));
        assertTrue(e.getMessage().contains(key), e.getMessage());
        assertTrue(e.getMessage().contains(fix), e.getMessage());
    }
}
