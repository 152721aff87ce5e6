package io.fksafe.sink.config;

import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.sink.dialect.DialectKind;
import io.fksafe.sink.metadata.TableId;

/** The sink's one ConfigDef; values are parsed once here into typed fields. */
public final class FkSafeSinkConfig extends AbstractConfig {

    private static final Logger log = LoggerFactory.getLogger(FkSafeSinkConfig.class);

    public static final String CONNECTION_URL = "connection.url";
    public static final String CONNECTION_USER = "connection.user";
    public static final String CONNECTION_PASSWORD = "connection.password";
    public static final String DIALECT = "target.dialect";
    public static final String TABLE_MAPPING = "table.mapping";
    public static final String BATCH_MAX_ROWS = "batch.max.rows";
    public static final String BATCH_MAX_BYTES = "batch.max.bytes";
    public static final String STATEMENT_MAX_ROWS = "statement.max.rows";
    public static final String STATEMENT_PACKING = "statement.packing";
    public static final String APPLY_PIPELINED = "apply.pipelined";
    public static final String APPLY_LINGER_MS = "apply.linger.ms";
    public static final String TRANSACTION_MAX_ROWS = "transaction.max.rows";
    public static final String TRANSACTION_MAX_BYTES = "transaction.max.bytes";
    public static final String TRANSACTION_SPLIT = "transaction.split.allowed";
    public static final String TRANSACTION_IDLE_MS = "transaction.idle.ms";
    public static final String SAFE_MODE = "safe.mode";
    public static final String CHECKPOINT_TABLE = "checkpoint.table";
    public static final String DDL_MODE = "ddl.mode";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String STATS_INTERVAL_MS = "stats.log.interval.ms";

    private static final String CONNECTION_GROUP = "Connection";
    private static final String MAPPING_GROUP = "Tables";
    private static final String APPLY_GROUP = "Apply";
    private static final String RETRY_GROUP = "Retries";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    CONNECTION_URL,
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "JDBC URL of the target: jdbc:mysql://host:4000/ for TiDB and MySQL, jdbc:mariadb://host:3306/ for MariaDB. "
                            + "A default database in the URL is used only for an unqualified checkpoint table.",
                    CONNECTION_GROUP,
                    1,
                    Width.LONG,
                    "JDBC URL")
            .define(
                    CONNECTION_USER,
                    Type.STRING,
                    null,
                    Importance.HIGH,
                    "Target user. Needs SELECT, INSERT, UPDATE, DELETE on the replicated tables, SELECT on information_schema "
                            + "and CREATE on the checkpoint table's database; with 'ddl.mode'='apply' also CREATE, ALTER, DROP, "
                            + "INDEX and REFERENCES on the replicated databases.",
                    CONNECTION_GROUP,
                    2,
                    Width.MEDIUM,
                    "User")
            .define(
                    CONNECTION_PASSWORD,
                    Type.PASSWORD,
                    null,
                    Importance.HIGH,
                    "Target password. Never logged.",
                    CONNECTION_GROUP,
                    3,
                    Width.MEDIUM,
                    "Password")
            .define(
                    DIALECT,
                    Type.STRING,
                    "auto",
                    ConfigDef.CaseInsensitiveValidString.in("auto", "tidb", "mysql", "mariadb"),
                    Importance.MEDIUM,
                    "Target SQL dialect. 'auto' reads VERSION() on connect (TiDB reports '...-TiDB-...', MariaDB '...-MariaDB').",
                    CONNECTION_GROUP,
                    4,
                    Width.SHORT,
                    "Target dialect")
            .define(
                    TABLE_MAPPING,
                    Type.LIST,
                    "",
                    Importance.MEDIUM,
                    "Comma-separated 'source=target' entries, each side 'db.table' or 'db.*' (e.g. 'shop.*=shop_replica.*'). "
                            + "Unmapped tables keep their source database and name.",
                    MAPPING_GROUP,
                    1,
                    Width.LONG,
                    "Table mapping")
            .define(
                    BATCH_MAX_ROWS,
                    Type.INT,
                    5000,
                    ConfigDef.Range.atLeast(1),
                    Importance.MEDIUM,
                    "Rows per target transaction. Whole upstream transactions are packed up to this limit; one upstream "
                            + "transaction is never split, so a larger one goes alone.",
                    APPLY_GROUP,
                    1,
                    Width.SHORT,
                    "Rows per target transaction")
            .define(
                    BATCH_MAX_BYTES,
                    Type.LONG,
                    16L * 1024 * 1024,
                    ConfigDef.Range.atLeast(1024),
                    Importance.MEDIUM,
                    "Approximate bytes of row data per target transaction; also bounds what the task buffers. Keep it well "
                            + "under TiDB's txn-total-size-limit (default 100 MiB).",
                    APPLY_GROUP,
                    2,
                    Width.SHORT,
                    "Bytes per target transaction")
            .define(
                    STATEMENT_MAX_ROWS,
                    Type.INT,
                    500,
                    ConfigDef.Range.between(1, 10000),
                    Importance.LOW,
                    "Rows per multi-row statement (consecutive rows of one table and operation).",
                    APPLY_GROUP,
                    3,
                    Width.SHORT,
                    "Rows per statement")
            .define(
                    TRANSACTION_MAX_ROWS,
                    Type.INT,
                    200_000,
                    ConfigDef.Range.atLeast(1),
                    Importance.MEDIUM,
                    "Largest upstream transaction (rows) the task buffers to apply atomically. A larger one stops the task "
                            + "with an error, unless 'transaction.split.allowed' is true.",
                    APPLY_GROUP,
                    4,
                    Width.SHORT,
                    "Max rows per upstream transaction")
            .define(
                    TRANSACTION_MAX_BYTES,
                    Type.LONG,
                    64L * 1024 * 1024,
                    ConfigDef.Range.atLeast(1024),
                    Importance.MEDIUM,
                    "Largest upstream transaction (approximate row bytes) the task buffers and applies as one target "
                            + "transaction; keep it under TiDB's txn-total-size-limit (default 100 MiB) and the task's heap.",
                    APPLY_GROUP,
                    5,
                    Width.SHORT,
                    "Max bytes per upstream transaction")
            .define(
                    TRANSACTION_SPLIT,
                    Type.BOOLEAN,
                    false,
                    Importance.MEDIUM,
                    "Whether an upstream transaction over the transaction limits may be split across target transactions "
                            + "(logged as a warning: atomicity on the target is lost for it). If false, the task stops instead.",
                    APPLY_GROUP,
                    6,
                    Width.SHORT,
                    "Split oversized transactions")
            .define(
                    SAFE_MODE,
                    Type.STRING,
                    "auto",
                    ConfigDef.CaseInsensitiveValidString.in("auto", "always", "never"),
                    Importance.HIGH,
                    "'auto': records the SMT marked safe (forced, or inside its configured source-position windows) are applied "
                            + "as replays. 'always': every record is a possible replay. 'never': no FK conflict is resolved, "
                            + "whatever the SMT says. A replay resolves FK conflicts by the FK's own rule instead of stopping.",
                    APPLY_GROUP,
                    7,
                    Width.SHORT,
                    "Safe mode")
            .define(
                    CHECKPOINT_TABLE,
                    Type.STRING,
                    "fksafe.fksafe_checkpoint",
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    "Target table ('db.table') holding the Kafka offset and source position of every committed transaction, "
                            + "written in the same target transaction as the rows. Created if missing.",
                    APPLY_GROUP,
                    8,
                    Width.MEDIUM,
                    "Checkpoint table")
            .define(
                    DDL_MODE,
                    Type.STRING,
                    "apply",
                    ConfigDef.CaseInsensitiveValidString.in("apply", "skip", "fail"),
                    Importance.MEDIUM,
                    "What to do with a schema-change record. 'apply': run it on the target in stream order (rows before it "
                            + "commit first), journaled in a 'fksafe_ddl_journal' table next to the checkpoint table so a crash "
                            + "never runs it twice or loses it; from Debezium's snapshot only missing databases and tables are "
                            + "created. 'skip': log it and go on (the target schema is changed by hand). 'fail': stop the "
                            + "task at a streamed schema change after committing every row before it. See docs/ddl.md.",
                    APPLY_GROUP,
                    9,
                    Width.SHORT,
                    "DDL mode")
            .define(
                    TRANSACTION_IDLE_MS,
                    Type.LONG,
                    500L,
                    ConfigDef.Range.between(0, 60_000),
                    Importance.LOW,
                    "Only for topics without Debezium transaction markers (provide.transaction.metadata=false), where "
                            + "a transaction ends only when a record of the next one arrives: how long the stream may be "
                            + "idle inside an open transaction before the task commits what it has, so the target does "
                            + "not lag. If more of that transaction comes later it is applied as a separate part (split, "
                            + "counted and logged). 0 commits at the first empty poll. With markers it has no effect.",
                    APPLY_GROUP,
                    10,
                    Width.SHORT,
                    "Idle time closing a transaction without markers")
            .define(
                    STATEMENT_PACKING,
                    Type.BOOLEAN,
                    true,
                    Importance.LOW,
                    "Whether the rows of one target transaction may be reordered into fewer multi-row statements where "
                            + "the result is provably the one strict source order gives (parents' upserts ahead of their "
                            + "children's rows, children's deletes ahead of their parents' rows; docs/design.md). false: "
                            + "strict arrival order, only consecutive rows of one table and operation share a statement.",
                    APPLY_GROUP,
                    11,
                    Width.SHORT,
                    "Pack statements across transactions")
            .define(
                    APPLY_PIPELINED,
                    Type.BOOLEAN,
                    true,
                    Importance.LOW,
                    "Whether the target's work runs on a dedicated thread per task while the task's thread takes in the "
                            + "next records, so the target's round trips overlap conversion. Offsets still move only past "
                            + "rows committed in the target; after a failure the task seeks back to its checkpoints. "
                            + "false: every put() waits for its transactions to commit.",
                    APPLY_GROUP,
                    12,
                    Width.SHORT,
                    "Apply on a dedicated thread")
            .define(
                    APPLY_LINGER_MS,
                    Type.LONG,
                    50L,
                    ConfigDef.Range.between(0L, 10_000L),
                    Importance.LOW,
                    "With 'apply.pipelined': how long the apply thread waits, after a transaction was handed over, for "
                            + "more to commit in the same target transaction while less than a full batch is queued. A "
                            + "live stream then costs the target fewer, larger commits; each transaction reaches the "
                            + "target at most this much later. Anything waiting for the apply thread (a schema change, a "
                            + "rebalance, a stop) ends the wait at once. 0: commit whatever is queued right away.",
                    APPLY_GROUP,
                    13,
                    Width.SHORT,
                    "Linger before a partial batch")
            .define(
                    MAX_RETRIES,
                    Type.INT,
                    10,
                    ConfigDef.Range.atLeast(0),
                    Importance.MEDIUM,
                    "Retries of a transient failure (lost connection, lock wait timeout, deadlock, TiDB retryable errors) "
                            + "before the task stops.",
                    RETRY_GROUP,
                    1,
                    Width.SHORT,
                    "Max retries")
            .define(
                    RETRY_BACKOFF_MS,
                    Type.LONG,
                    3000L,
                    ConfigDef.Range.atLeast(0),
                    Importance.LOW,
                    "Backoff before a retry; doubled per consecutive retry, capped at 60 s.",
                    RETRY_GROUP,
                    2,
                    Width.SHORT,
                    "Retry backoff (ms)")
            .define(
                    STATS_INTERVAL_MS,
                    Type.LONG,
                    30_000L,
                    ConfigDef.Range.atLeast(0),
                    Importance.LOW,
                    "How often the task logs its apply figures (events/s, resolutions); 0 turns it off.",
                    RETRY_GROUP,
                    3,
                    Width.SHORT,
                    "Stats log interval (ms)");

    public final String connectionUrl;
    public final String user;
    public final Password password;
    public final DialectKind dialect;
    public final TableMapping tableMapping;
    public final int batchMaxRows;
    public final long batchMaxBytes;
    public final int statementMaxRows;
    public final boolean statementPacking;
    public final boolean applyPipelined;
    public final long applyLingerMs;
    public final int transactionMaxRows;
    public final long transactionMaxBytes;
    public final boolean transactionSplitAllowed;
    public final long transactionIdleMs;
    public final SafeMode safeMode;
    public final TableId checkpointTable;
    public final DdlMode ddlMode;
    public final int maxRetries;
    public final long retryBackoffMs;
    public final long statsIntervalMs;
    /** Masks the password and any credentials in the URL: every message that may echo the URL goes through it. */
    public final Redaction redaction;

    public FkSafeSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props, false); // AbstractConfig would log the URL as it is; logValues() masks it
        this.connectionUrl = getString(CONNECTION_URL).trim();
        this.user = getString(CONNECTION_USER);
        this.password = getPassword(CONNECTION_PASSWORD);
        this.redaction = Redaction.of(connectionUrl, password == null ? null : password.value());
        logValues();
        this.dialect = DialectKind.parse(getString(DIALECT));
        this.batchMaxRows = getInt(BATCH_MAX_ROWS);
        this.batchMaxBytes = getLong(BATCH_MAX_BYTES);
        this.statementMaxRows = getInt(STATEMENT_MAX_ROWS);
        this.statementPacking = getBoolean(STATEMENT_PACKING);
        this.applyPipelined = getBoolean(APPLY_PIPELINED);
        this.applyLingerMs = getLong(APPLY_LINGER_MS);
        this.transactionMaxRows = getInt(TRANSACTION_MAX_ROWS);
        this.transactionMaxBytes = getLong(TRANSACTION_MAX_BYTES);
        this.transactionSplitAllowed = getBoolean(TRANSACTION_SPLIT);
        this.transactionIdleMs = getLong(TRANSACTION_IDLE_MS);
        this.safeMode = SafeMode.parse(getString(SAFE_MODE));
        this.ddlMode = DdlMode.parse(getString(DDL_MODE));
        this.maxRetries = getInt(MAX_RETRIES);
        this.retryBackoffMs = getLong(RETRY_BACKOFF_MS);
        this.statsIntervalMs = getLong(STATS_INTERVAL_MS);
        try {
            this.tableMapping = TableMapping.parse(getList(TABLE_MAPPING));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(TABLE_MAPPING, getList(TABLE_MAPPING), e.getMessage());
        }
        this.checkpointTable = parseCheckpointTable(getString(CHECKPOINT_TABLE));
        if (!supportedUrl(connectionUrl)) {
            throw new ConfigException(CONNECTION_URL, redaction.apply(connectionUrl), URL_SCHEME_PROBLEM);
        }
    }

    /** What AbstractConfig logs at start, with credentials in the URL masked (passwords print as [hidden]). */
    private void logValues() {
        StringBuilder b = new StringBuilder(getClass().getSimpleName()).append(" values:");
        new TreeMap<>(values())
                .forEach((k, v) -> b.append("\n\t").append(k).append(" = ").append(redaction.apply(String.valueOf(v))));
        log.info(b.toString());
    }

    public static final String URL_SCHEME_PROBLEM =
            "must start with 'jdbc:mysql:' (TiDB, MySQL) or 'jdbc:mariadb:' (MariaDB)";

    public static boolean supportedUrl(String url) {
        return url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:");
    }

    static TableId parseCheckpointTable(String value) {
        String v = value.trim();
        int dot = v.indexOf('.');
        if (dot <= 0 || dot == v.length() - 1 || v.indexOf('.', dot + 1) >= 0 || v.contains("`")) {
            throw new ConfigException(
                    CHECKPOINT_TABLE,
                    value,
                    "must be 'database.table' without backticks, e.g. 'fksafe.fksafe_checkpoint'");
        }
        return new TableId(v.substring(0, dot), v.substring(dot + 1));
    }
}
