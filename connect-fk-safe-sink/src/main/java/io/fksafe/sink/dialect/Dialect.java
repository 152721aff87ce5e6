package io.fksafe.sink.dialect;

import static io.fksafe.sink.dialect.ErrorCodes.*;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

import io.fksafe.sink.metadata.ForeignKey;
import io.fksafe.sink.metadata.TableId;

/**
 * SQL for one target family, what its errors mean ({@link ErrorCodes}) and what its schema changes can do.
 * Statements bind every value; identifiers come from target metadata and are quoted. The base class is MySQL and
 * MariaDB, and writes the {@code VALUES(col)} upsert that MariaDB, TiDB and MySQL before 8.0.20 understand.
 */
public class Dialect {

    private static final Set<Integer> TRANSIENT_CODES = Set.of(
            ER_LOCK_WAIT_TIMEOUT,
            ER_LOCK_DEADLOCK,
            ER_SERVER_SHUTDOWN,
            ER_CONNECTION_KILLED,
            CR_SERVER_GONE_ERROR,
            CR_SERVER_LOST);
    private static final Set<Integer> FK_PARENT_MISSING_CODES = Set.of(ER_NO_REFERENCED_ROW_2, ER_NO_REFERENCED_ROW);
    private static final Set<Integer> FK_CHILD_EXISTS_CODES = Set.of(ER_ROW_IS_REFERENCED_2, ER_ROW_IS_REFERENCED);
    /** Including the duplicates an FK cascade would make in a child table. */
    private static final Set<Integer> DUPLICATE_CODES = Set.of(
            ER_DUP_ENTRY,
            ER_DUP_ENTRY_WITH_KEY_NAME,
            ER_FOREIGN_DUPLICATE_KEY,
            ER_FOREIGN_DUPLICATE_KEY_WITH_CHILD_INFO,
            ER_FOREIGN_DUPLICATE_KEY_WITHOUT_CHILD_INFO);

    private static final Set<Integer> DATA_CODES = Set.of(
            ER_BAD_NULL_ERROR,
            ER_WARN_DATA_OUT_OF_RANGE,
            WARN_DATA_TRUNCATED,
            ER_TRUNCATED_WRONG_VALUE,
            ER_TRUNCATED_WRONG_VALUE_FOR_FIELD,
            ER_DATA_TOO_LONG,
            ER_ILLEGAL_VALUE_FOR_TYPE,
            ER_INVALID_JSON_TEXT,
            ER_CONSTRAINT_FAILED);
    private static final Set<Integer> SCHEMA_CODES =
            Set.of(ER_BAD_DB_ERROR, ER_BAD_FIELD_ERROR, ER_NO_SUCH_TABLE, ER_UNKNOWN_TABLE);
    /** DDL errors that mean a foreign key's other table is missing or still referenced. */
    private static final Set<Integer> FK_PEER_MISSING_CODES = Set.of(
            ER_CANT_CREATE_TABLE,
            ER_CANNOT_ADD_FOREIGN,
            ER_FK_CANNOT_OPEN_PARENT,
            ER_ROW_IS_REFERENCED_2,
            ER_ROW_IS_REFERENCED,
            ER_FK_CANNOT_DROP_PARENT);

    private final ServerVersion version;

    protected Dialect(ServerVersion version) {
        this.version = version;
    }

    /**
     * Reads errors when the target's family is not known: no connection has told it yet and 'target.dialect' is
     * 'auto'. It knows the codes of every family (TiDB's own codes clash with none of MySQL's or MariaDB's); its SQL is
     * the base class's. Once a server answered, its own dialect classifies, even while the connection is down.
     */
    public static Dialect generic() {
        return GENERIC;
    }

    private static final Dialect GENERIC = new Dialect(new ServerVersion(DialectKind.AUTO, 0, 0, 0, "unknown")) {
        @Override
        protected ErrorKind classifyOne(SQLException e) {
            ErrorKind tidb = TiDbDialect.tidbKind(e.getErrorCode());
            return tidb != null ? tidb : super.classifyOne(e);
        }
    };

    /** The dialect for a target that reported {@code version}. */
    public static Dialect of(ServerVersion version) {
        return switch (version.kind()) {
            case TIDB -> new TiDbDialect(version);
            case MYSQL -> version.atLeast(8, 0, 20) ? new MySqlRowAliasDialect(version) : new Dialect(version);
            case MARIADB, AUTO -> new Dialect(version);
        };
    }

    public ServerVersion version() {
        return version;
    }

    public DialectKind kind() {
        return version.kind();
    }

    /**
     * {@code INSERT ... ON DUPLICATE KEY UPDATE} for {@code rows} rows: an existing row is updated in place, never
     * deleted, so no ON DELETE rule fires (REPLACE would delete it and cascade to its children).
     */
    public String upsert(TableId table, List<String> columns, List<String> keyColumns, int rows) {
        StringBuilder sb = new StringBuilder(64 + rows * (columns.size() * 2 + 3));
        sb.append("INSERT INTO ").append(table.quoted()).append(" (");
        StringJoiner cols = new StringJoiner(", ");
        columns.forEach(c -> cols.add(TableId.quote(c)));
        sb.append(cols).append(") VALUES ");
        String tuple = tuple(columns.size());
        for (int i = 0; i < rows; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(tuple);
        }
        sb.append(rowAlias()).append(" ON DUPLICATE KEY UPDATE ");
        StringJoiner set = new StringJoiner(", ");
        for (String c : columns) {
            if (!containsIgnoreCase(keyColumns, c)) {
                set.add(TableId.quote(c) + " = " + newValue(c));
            }
        }
        if (set.length() == 0) {
            // Only key columns: nothing to update, but IGNORE would also hide FK errors, so assign the key to itself.
            String k = TableId.quote(keyColumns.isEmpty() ? columns.get(0) : keyColumns.get(0));
            set.add(k + " = " + k);
        }
        return sb.append(set).toString();
    }

    /** Deletes {@code rows} rows by primary key in one statement. */
    public String delete(TableId table, List<String> keyColumns, int rows) {
        StringBuilder sb =
                new StringBuilder("DELETE FROM ").append(table.quoted()).append(" WHERE ");
        if (rows == 1) {
            return sb.append(keyPredicate(keyColumns)).toString();
        }
        if (keyColumns.size() == 1) {
            sb.append(TableId.quote(keyColumns.get(0))).append(" IN (");
            for (int i = 0; i < rows; i++) {
                sb.append(i == 0 ? "?" : ", ?");
            }
            return sb.append(')').toString();
        }
        StringJoiner cols = new StringJoiner(", ", "(", ")");
        keyColumns.forEach(c -> cols.add(TableId.quote(c)));
        sb.append(cols).append(" IN (");
        String tuple = tuple(keyColumns.size());
        for (int i = 0; i < rows; i++) {
            sb.append(i == 0 ? "" : ", ").append(tuple);
        }
        return sb.append(')').toString();
    }

    /** {@code UPDATE t SET every column = new WHERE pk = old}: the target runs ON UPDATE rules as the source did. */
    public String keyUpdate(TableId table, List<String> columns, List<String> keyColumns) {
        StringJoiner set = new StringJoiner(", ");
        columns.forEach(c -> set.add(TableId.quote(c) + " = ?"));
        return "UPDATE " + table.quoted() + " SET " + set + " WHERE " + keyPredicate(keyColumns);
    }

    /**
     * For a table with no primary or unique NOT NULL key: deletes one row whose every column equals the old image,
     * NULLs included ({@code <=>}). LIMIT 1, because identical rows are indistinguishable and the source deleted one.
     */
    public String deleteByRowImage(TableId table, List<String> imageColumns) {
        return "DELETE FROM " + table.quoted() + " WHERE " + nullSafePredicate(imageColumns) + " LIMIT 1";
    }

    /** {@link #keyUpdate} for a keyless table: one row that matches the old image, null-safely, gets the new one. */
    public String updateByRowImage(TableId table, List<String> columns, List<String> imageColumns) {
        StringJoiner set = new StringJoiner(", ");
        columns.forEach(c -> set.add(TableId.quote(c) + " = ?"));
        return "UPDATE " + table.quoted() + " SET " + set + " WHERE " + nullSafePredicate(imageColumns) + " LIMIT 1";
    }

    /** Is a row with this whole image in a keyless table? */
    public String rowImageExists(TableId table, List<String> imageColumns) {
        return "SELECT 1 FROM " + table.quoted() + " WHERE " + nullSafePredicate(imageColumns) + " LIMIT 1";
    }

    /** Does the parent row an FK points at exist? Used only when resolving a replayed change. */
    public String parentExists(ForeignKey fk) {
        return rowExists(fk.parent(), fk.parentColumns());
    }

    public String rowExists(TableId table, List<String> columns) {
        return "SELECT 1 FROM " + table.quoted() + " WHERE " + keyPredicate(columns) + " LIMIT 1";
    }

    /** Points the children of one parent key at another key (or NULL): what ON UPDATE CASCADE / SET NULL do. */
    public String repointChildren(ForeignKey fk, boolean toNull) {
        StringJoiner set = new StringJoiner(", ");
        fk.columns().forEach(c -> set.add(TableId.quote(c) + (toNull ? " = NULL" : " = ?")));
        return "UPDATE " + fk.child().quoted() + " SET " + set + " WHERE " + keyPredicate(fk.columns());
    }

    /** Deletes the children of one parent key. */
    public String deleteChildren(ForeignKey fk) {
        return "DELETE FROM " + fk.child().quoted() + " WHERE " + keyPredicate(fk.columns());
    }

    public String setForeignKeyChecks(boolean on) {
        return "SET SESSION foreign_key_checks = " + (on ? 1 : 0);
    }

    /**
     * Session settings for every connection: strict mode so a value that does not fit fails instead of being
     * truncated, NO_AUTO_VALUE_ON_ZERO so a replicated id 0 stays 0, and UTC because temporal values are bound as UTC text.
     */
    public List<String> sessionSetup() {
        return List.of(
                "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO'",
                "SET SESSION time_zone = '+00:00'",
                setForeignKeyChecks(true));
    }

    /** Whether the target enforces the foreign keys it accepts. */
    public boolean enforcesForeignKeys() {
        return true;
    }

    /** Whether one ALTER TABLE may make several changes. */
    public boolean alterTakesSeveralChanges() {
        return true;
    }

    /** Whether the target creates FULLTEXT indexes (rather than accepting and ignoring them). */
    public boolean createsFulltextIndexes() {
        return true;
    }

    /** Whether the target has spatial types and SPATIAL indexes. */
    public boolean hasSpatialTypes() {
        return true;
    }

    /** Whether a partitioned table may have foreign keys. */
    public boolean foreignKeysOnPartitionedTables() {
        return true;
    }

    /** Table options (upper case) the target parses and ignores, which a schema change for it leaves out. */
    public Set<String> ignoredTableOptions() {
        return Set.of();
    }

    public ErrorKind classify(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                ErrorKind k = classifyOne(s);
                if (k != ErrorKind.OTHER) {
                    return k;
                }
            }
        }
        return ErrorKind.OTHER;
    }

    /**
     * What one exception (not its causes) means, by MySQL's and MariaDB's codes, then by SQLSTATE; TiDB's dialect
     * adds its own codes.
     */
    protected ErrorKind classifyOne(SQLException e) {
        int code = e.getErrorCode();
        String state = e.getSQLState();
        if (FK_PARENT_MISSING_CODES.contains(code)) {
            return ErrorKind.FK_PARENT_MISSING;
        }
        if (FK_CHILD_EXISTS_CODES.contains(code)) {
            return ErrorKind.FK_CHILD_EXISTS;
        }
        if (DUPLICATE_CODES.contains(code)) {
            return ErrorKind.DUPLICATE_KEY;
        }
        if (code == ER_NET_PACKET_TOO_LARGE) { // before the transient check: it comes with SQLSTATE 08S01, and retrying
            // cannot help
            return ErrorKind.STATEMENT_TOO_LARGE;
        }
        if (TRANSIENT_CODES.contains(code)
                || e instanceof SQLTransientConnectionException
                || e instanceof SQLRecoverableException
                || (state != null && state.startsWith("08"))) {
            return ErrorKind.TRANSIENT;
        }
        if (code == ER_TOO_BIG_ROWSIZE) {
            return ErrorKind.ROW_TOO_LARGE;
        }
        if (code == ER_TRANS_CACHE_FULL) {
            return ErrorKind.TRANSACTION_TOO_LARGE;
        }
        if (SCHEMA_CODES.contains(code)) {
            return ErrorKind.SCHEMA;
        }
        if (DATA_CODES.contains(code) || (state != null && state.startsWith("22"))) {
            return ErrorKind.DATA;
        }
        return ErrorKind.OTHER;
    }

    /**
     * Whether a schema change failed because a foreign key's other table is missing or still referenced: the source
     * ran it with foreign_key_checks=0 (e.g. a dump restored child first), so the target may too.
     */
    public boolean foreignKeyPeerMissing(SQLException e) {
        return FK_PEER_MISSING_CODES.contains(e.getErrorCode());
    }

    /** Appended after the VALUES list; the row-alias dialect names the new row here. */
    protected String rowAlias() {
        return "";
    }

    /** The value a column gets on a duplicate key. */
    protected String newValue(String column) {
        return "VALUES(" + TableId.quote(column) + ")";
    }

    static String keyPredicate(List<String> keyColumns) {
        StringJoiner where = new StringJoiner(" AND ");
        keyColumns.forEach(c -> where.add(TableId.quote(c) + " = ?"));
        return where.toString();
    }

    private static String nullSafePredicate(List<String> columns) {
        StringJoiner where = new StringJoiner(" AND ");
        columns.forEach(c -> where.add(TableId.quote(c) + " <=> ?"));
        return where.toString();
    }

    private static String tuple(int n) {
        StringBuilder sb = new StringBuilder(n * 3 + 2).append('(');
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
        return sb.append(')').toString();
    }

    private static boolean containsIgnoreCase(List<String> list, String value) {
        for (String s : list) {
            if (s.equalsIgnoreCase(value)) {
                return true;
            }
        }
        return false;
    }
}
