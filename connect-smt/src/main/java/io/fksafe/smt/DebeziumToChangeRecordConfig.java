package io.fksafe.smt;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.transforms.util.SimpleConfig;

/** The configuration of {@link DebeziumToChangeRecord}: one {@link ConfigDef}, parsed and cross-checked once. */
public final class DebeziumToChangeRecordConfig {

    public enum SafeMode {
        NEVER,
        ALWAYS,
        WINDOW
    }

    public enum TruncateHandling {
        FAIL,
        SKIP
    }

    public enum NonDebeziumHandling {
        PASSTHROUGH,
        FAIL
    }

    private static final String GROUP_EVENTS = "Events";
    private static final String GROUP_SAFE = "Safe mode";

    public static final String SAFE_MODE = "safe.mode";
    public static final String SAFE_MODE_DEFAULT = "never";
    private static final String SAFE_MODE_DOC = "Which change records to mark safe (may already be in the target, so"
            + " the sink applies them idempotently): 'never'; 'always' (a replay of everything, e.g. a first attach to"
            + " a pre-loaded target); 'window' (only events inside 'safe.mode.windows', and snapshot reads per"
            + " 'safe.mode.snapshot'). The sink adds its own replay window; a record is safe if either side says so.";

    public static final String SAFE_MODE_WINDOWS = "safe.mode.windows";
    private static final String SAFE_MODE_WINDOWS_DOC = "With safe.mode=window: comma-separated inclusive ranges"
            + " 'FROM..TO' of source positions, each bound in the change-record position text form, e.g."
            + " 'file=mysql-bin.000003;pos=4;row=0..file=mysql-bin.000003;pos=9000;row=0', or GTIDs of one MariaDB"
            + " domain or MySQL server, e.g. '0-1-100..0-1-250' or 'uuid:10..uuid:99'. Bounds that both name a file"
            + " compare by file/pos/row, otherwise by GTID.";

    public static final String SAFE_MODE_SNAPSHOT = "safe.mode.snapshot";
    public static final boolean SAFE_MODE_SNAPSHOT_DEFAULT = true;
    private static final String SAFE_MODE_SNAPSHOT_DOC = "With safe.mode=window: also mark snapshot reads safe,"
            + " because a snapshot may overlap changes already streamed to the target. Ignored in other modes.";

    public static final String TRUNCATE_HANDLING = "truncate.handling";
    public static final String TRUNCATE_HANDLING_DEFAULT = "fail";
    private static final String TRUNCATE_HANDLING_DOC = "What to do with a Debezium truncate event (op 't'): 'fail'"
            + " stops the task with an error naming the table (truncate the target table by hand, then skip the"
            + " record); 'skip' drops it with a WARN log, leaving the target's rows in place.";

    public static final String NON_DEBEZIUM_HANDLING = "non.debezium.handling";
    public static final String NON_DEBEZIUM_HANDLING_DEFAULT = "passthrough";
    private static final String NON_DEBEZIUM_HANDLING_DOC = "What to do with a record whose value is not a Debezium"
            + " change, transaction or schema change event: 'passthrough' (unchanged) or 'fail'.";

    public static final String SCHEMA_CACHE_SIZE = "schema.cache.size";
    public static final int SCHEMA_CACHE_SIZE_DEFAULT = 256;
    private static final String SCHEMA_CACHE_SIZE_DOC =
            "How many derived change-record schemas (one per table" + " schema version) to keep in the LRU cache.";

    public static final ConfigDef CONFIG_DEF = configDef();

    private final SafeMode safeMode;
    private final SafeModeWindows windows;
    private final boolean snapshotSafe;
    private final TruncateHandling truncateHandling;
    private final NonDebeziumHandling nonDebeziumHandling;
    private final int schemaCacheSize;

    public DebeziumToChangeRecordConfig(Map<String, ?> props) {
        SimpleConfig config = new SimpleConfig(CONFIG_DEF, props);
        this.safeMode = enumValue(SafeMode.class, SAFE_MODE, config.getString(SAFE_MODE));
        this.truncateHandling =
                enumValue(TruncateHandling.class, TRUNCATE_HANDLING, config.getString(TRUNCATE_HANDLING));
        this.nonDebeziumHandling =
                enumValue(NonDebeziumHandling.class, NON_DEBEZIUM_HANDLING, config.getString(NON_DEBEZIUM_HANDLING));
        this.schemaCacheSize = config.getInt(SCHEMA_CACHE_SIZE);
        List<String> windowTexts = config.getList(SAFE_MODE_WINDOWS);
        this.windows = SafeModeWindows.parse(SAFE_MODE_WINDOWS, windowTexts);
        boolean snapshot = config.getBoolean(SAFE_MODE_SNAPSHOT);
        this.snapshotSafe = safeMode == SafeMode.WINDOW && snapshot;
        if (safeMode != SafeMode.WINDOW && !windows.isEmpty()) {
            throw new ConfigException(
                    SAFE_MODE_WINDOWS,
                    String.join(",", windowTexts),
                    "windows are used only when '"
                            + SAFE_MODE + "' is 'window' (it is '" + config.getString(SAFE_MODE) + "'): set '"
                            + SAFE_MODE
                            + "=window' or remove '" + SAFE_MODE_WINDOWS + "'");
        }
        if (safeMode == SafeMode.WINDOW && windows.isEmpty() && !snapshot) {
            throw new ConfigException(
                    SAFE_MODE_WINDOWS,
                    "",
                    "'" + SAFE_MODE + "=window' marks nothing: list ranges in '" + SAFE_MODE_WINDOWS + "', set '"
                            + SAFE_MODE_SNAPSHOT + "=true', or set '" + SAFE_MODE + "=never'");
        }
    }

    public SafeMode safeMode() {
        return safeMode;
    }

    public SafeModeWindows windows() {
        return windows;
    }
    /** True when snapshot reads are marked safe (only in window mode). */
    public boolean snapshotSafe() {
        return snapshotSafe;
    }

    public TruncateHandling truncateHandling() {
        return truncateHandling;
    }

    public NonDebeziumHandling nonDebeziumHandling() {
        return nonDebeziumHandling;
    }

    public int schemaCacheSize() {
        return schemaCacheSize;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String key, String value) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, value, "must be one of " + choices(type));
        }
    }

    private static <E extends Enum<E>> List<String> choices(Class<E> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .toList();
    }

    private static ConfigDef.Validator oneOf(Class<? extends Enum<?>> type) {
        String[] names = Arrays.stream(type.getEnumConstants())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .toArray(String[]::new);
        return ConfigDef.CaseInsensitiveValidString.in(names);
    }

    private static ConfigDef configDef() {
        int events = 0;
        int safe = 0;
        return new ConfigDef()
                .define(
                        TRUNCATE_HANDLING,
                        Type.STRING,
                        TRUNCATE_HANDLING_DEFAULT,
                        oneOf(TruncateHandling.class),
                        Importance.MEDIUM,
                        TRUNCATE_HANDLING_DOC,
                        GROUP_EVENTS,
                        ++events,
                        Width.SHORT,
                        "Truncate events")
                .define(
                        NON_DEBEZIUM_HANDLING,
                        Type.STRING,
                        NON_DEBEZIUM_HANDLING_DEFAULT,
                        oneOf(NonDebeziumHandling.class),
                        Importance.LOW,
                        NON_DEBEZIUM_HANDLING_DOC,
                        GROUP_EVENTS,
                        ++events,
                        Width.SHORT,
                        "Non-Debezium records")
                .define(
                        SCHEMA_CACHE_SIZE,
                        Type.INT,
                        SCHEMA_CACHE_SIZE_DEFAULT,
                        ConfigDef.Range.atLeast(1),
                        Importance.LOW,
                        SCHEMA_CACHE_SIZE_DOC,
                        GROUP_EVENTS,
                        ++events,
                        Width.SHORT,
                        "Schema cache size")
                .define(
                        SAFE_MODE,
                        Type.STRING,
                        SAFE_MODE_DEFAULT,
                        oneOf(SafeMode.class),
                        Importance.HIGH,
                        SAFE_MODE_DOC,
                        GROUP_SAFE,
                        ++safe,
                        Width.SHORT,
                        "Safe mode")
                .define(
                        SAFE_MODE_WINDOWS,
                        Type.LIST,
                        "",
                        Importance.MEDIUM,
                        SAFE_MODE_WINDOWS_DOC,
                        GROUP_SAFE,
                        ++safe,
                        Width.LONG,
                        "Safe-mode windows")
                .define(
                        SAFE_MODE_SNAPSHOT,
                        Type.BOOLEAN,
                        SAFE_MODE_SNAPSHOT_DEFAULT,
                        Importance.MEDIUM,
                        SAFE_MODE_SNAPSHOT_DOC,
                        GROUP_SAFE,
                        ++safe,
                        Width.SHORT,
                        "Snapshot reads safe");
    }
}
