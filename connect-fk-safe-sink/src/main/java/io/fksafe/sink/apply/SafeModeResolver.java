package io.fksafe.sink.apply;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.sink.dialect.Dialect;
import io.fksafe.sink.dialect.ErrorKind;
import io.fksafe.sink.metadata.FkRule;
import io.fksafe.sink.metadata.ForeignKey;
import io.fksafe.sink.plan.PlannedRow;

/**
 * Applies replayed rows one by one when their statement met an FK or key conflict. The target is ahead of the replay,
 * so a missing parent must have been deleted later upstream, and the FK's ON DELETE rule says what the source did to
 * this row then (docs/design.md). Every resolution is counted and logged.
 */
final class SafeModeResolver {

    private static final Logger log = LoggerFactory.getLogger(SafeModeResolver.class);

    private final StatementRunner runner;
    private final Dialect dialect;
    private final ApplyStats stats;

    SafeModeResolver(StatementRunner runner, Dialect dialect, ApplyStats stats) {
        this.runner = runner;
        this.dialect = dialect;
        this.stats = stats;
    }

    void applyOneByOne(List<PlannedRow> rows) throws SQLException {
        for (PlannedRow row : rows) {
            apply(row);
        }
    }

    void apply(PlannedRow row) throws SQLException {
        switch (row.op()) {
            case UPSERT -> upsert(row, row.values());
            case DELETE -> delete(row);
            case KEY_UPDATE -> keyUpdate(row);
        }
    }

    private void delete(PlannedRow row) throws SQLException {
        try {
            runner.delete(List.of(row)); // 0 rows is fine: the target already lost the row
        } catch (SQLException e) {
            if (dialect.classify(e) != ErrorKind.FK_CHILD_EXISTS) {
                throw e;
            }
            resolved(Resolution.KEPT_PARENT_WITH_CHILDREN, row, e.getMessage());
        }
    }

    private void keyUpdate(PlannedRow row) throws SQLException {
        try {
            if (runner.keyUpdate(row) == 0) {
                resolved(Resolution.KEY_UPDATE_AS_UPSERT, row, "the old key is not in the target");
                upsert(row, row.values());
            }
        } catch (SQLException e) {
            switch (dialect.classify(e)) {
                case FK_CHILD_EXISTS -> resolved(Resolution.KEPT_PARENT_WITH_CHILDREN, row, e.getMessage());
                case FK_PARENT_MISSING -> upsert(row, row.values());
                case DUPLICATE_KEY -> mergeIntoNewer(row);
                default -> throw e;
            }
        }
    }

    /**
     * Both the old and the new key are in the target: the replay re-created the old row, and the new one is its own
     * future. Do what the key change did upstream — update the new row, move the old row's children by each FK's
     * ON UPDATE rule (dropping replayed children that duplicate ones already under the new key), then remove the old row.
     */
    private void mergeIntoNewer(PlannedRow row) throws SQLException {
        resolved(Resolution.KEY_UPDATE_MERGED_INTO_NEWER_ROW, row, "both the old and the new key are in the target");
        upsert(row, row.values());
        for (ForeignKey fk : row.table().referencedBy()) {
            Object[] oldRef = keyPart(row, fk.parentColumns(), row.key(), true);
            Object[] newRef = keyPart(row, fk.parentColumns(), row.values(), false);
            if (oldRef == null || newRef == null || java.util.Arrays.equals(oldRef, newRef)) {
                continue; // this FK points at columns the key change did not touch
            }
            switch (fk.onUpdate()) {
                case CASCADE -> {
                    try {
                        runner.repointChildren(fk, oldRef, newRef);
                    } catch (SQLException e) {
                        if (dialect.classify(e) != ErrorKind.DUPLICATE_KEY) {
                            throw e;
                        }
                        runner.deleteChildren(fk, oldRef);
                        resolved(
                                Resolution.DROPPED_REPLAYED_CHILDREN,
                                row,
                                "children in " + fk.child() + " already exist under the new key");
                    }
                }
                case SET_NULL -> runner.repointChildren(fk, oldRef, null);
                default -> {
                    /* RESTRICT / NO ACTION: upstream had no children here, so none are moved */
                }
            }
        }
        delete(row);
    }

    /** Values of {@code columns} of this table, from the old key (aligned with the key columns) or the new row image. */
    private static Object[] keyPart(PlannedRow row, List<String> columns, Object[] source, boolean fromKey) {
        Object[] out = new Object[columns.size()];
        List<String> names = fromKey ? row.keyColumns() : row.columns();
        for (int i = 0; i < columns.size(); i++) {
            int idx = indexOf(names, columns.get(i));
            if (idx < 0) {
                return null;
            }
            out[i] = source[idx];
        }
        return out;
    }

    /** Upserts, resolving missing parents by rule; each SET NULL round clears one more FK, so this ends. */
    private void upsert(PlannedRow row, Object[] values) throws SQLException {
        Object[] current = values;
        for (int attempt = 0; attempt <= row.table().foreignKeys().size(); attempt++) {
            try {
                runner.upsertOne(row, current);
                return;
            } catch (SQLException e) {
                ErrorKind kind = dialect.classify(e);
                if (kind == ErrorKind.DUPLICATE_KEY) {
                    resolved(Resolution.SKIPPED_DUPLICATE_UNIQUE, row, e.getMessage());
                    return;
                }
                if (kind != ErrorKind.FK_PARENT_MISSING) {
                    throw e;
                }
                List<ForeignKey> missing = missingParents(row, current);
                if (missing.isEmpty()) {
                    throw e; // the server says a parent is missing but every parent is there: nothing to resolve by
                    // rule
                }
                if (attempt == 0 && runner.rowExists(row)) {
                    // The target is ahead and already holds this row, pointing at a parent that exists: that row is
                    // from later upstream (its parent may have been re-keyed rather than deleted), so it stays.
                    resolved(
                            Resolution.KEPT_NEWER_ROW,
                            row,
                            "its parent " + missing.get(0).parent() + " is gone");
                    return;
                }
                ForeignKey blocking = missing.stream()
                        .filter(fk -> fk.onDelete() != FkRule.SET_NULL)
                        .findFirst()
                        .orElse(null);
                if (blocking != null) {
                    String kindName = blocking.onDelete() == FkRule.CASCADE
                            ? Resolution.SKIPPED_CHILD_OF_CASCADE
                            : Resolution.SKIPPED_CHILD_OF_RESTRICT;
                    resolved(
                            kindName,
                            row,
                            "parent " + blocking.parent() + " is gone (FK " + blocking.name() + " ON DELETE "
                                    + blocking.onDelete().name().replace('_', ' ') + ")");
                    return;
                }
                current = withNulls(row, current, missing);
                for (ForeignKey fk : missing) {
                    resolved(
                            Resolution.NULLED_SET_NULL_FK,
                            row,
                            "parent " + fk.parent() + " is gone (FK " + fk.name() + " ON DELETE SET NULL)");
                }
            }
        }
        throw new SQLException("could not resolve the FK conflicts of " + row.describe());
    }

    private List<ForeignKey> missingParents(PlannedRow row, Object[] values) throws SQLException {
        List<ForeignKey> missing = new ArrayList<>();
        for (ForeignKey fk : row.table().foreignKeys()) {
            Object[] refs = new Object[fk.columns().size()];
            boolean anyNull = false;
            for (int i = 0; i < refs.length; i++) {
                refs[i] = valueOf(row, values, fk.columns().get(i));
                anyNull |= refs[i] == null;
            }
            if (!anyNull && !runner.parentExists(fk, refs)) { // MySQL skips the check when any FK column is NULL
                missing.add(fk);
            }
        }
        return missing;
    }

    private static Object[] withNulls(PlannedRow row, Object[] values, List<ForeignKey> fks) {
        Object[] out = values.clone();
        for (ForeignKey fk : fks) {
            for (String col : fk.columns()) {
                int i = indexOf(row.columns(), col);
                if (i >= 0) {
                    out[i] = null;
                }
            }
        }
        return out;
    }

    private static Object valueOf(PlannedRow row, Object[] values, String column) {
        int i = indexOf(row.columns(), column);
        return i < 0 ? null : values[i];
    }

    private static int indexOf(List<String> columns, String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    private void resolved(String kind, PlannedRow row, String why) {
        stats.resolved(kind);
        log.info("safe mode: {} for {}: {}", kind.toLowerCase(Locale.ROOT), row.describe(), why);
    }
}
