package io.fksafe.sink.apply;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.fksafe.sink.apply.TableFootprints.Footprint;
import io.fksafe.sink.metadata.TableId;
import io.fksafe.sink.plan.PlannedRow;
import io.fksafe.sink.plan.RowOp;

/**
 * Splits a target transaction's rows into statements (groups of rows that share one multi-row statement), moving a row
 * earlier only past rows it commutes with, so the target ends in the state strict arrival order gives
 * (docs/design.md, "Packing rows into statements"). Greedy: each row joins the latest earlier group of its statement
 * kind if it commutes with every group after it, else starts a new group. Off, it groups consecutive rows only.
 * Either way, deletes whose cascades may meet run one per statement.
 */
final class StatementPacker {

    /** How many groups a row may pass: keeps packing linear in the rows, whatever the mix of tables. */
    static final int LOOK_BACK = 64;

    private final boolean enabled;
    private final TableFootprints footprints;

    StatementPacker(boolean enabled, TableFootprints.Tables tables) {
        this.enabled = enabled;
        this.footprints = new TableFootprints(tables);
    }

    List<List<PlannedRow>> groups(List<PlannedRow> rows) throws SQLException {
        List<Group> groups = new ArrayList<>();
        for (PlannedRow r : rows) {
            place(groups, r);
        }
        List<List<PlannedRow>> out = new ArrayList<>(groups.size());
        groups.forEach(g -> out.add(g.rows));
        return out;
    }

    void forget() {
        footprints.forget();
    }

    private void place(List<Group> groups, PlannedRow r) throws SQLException {
        Footprint f = footprints.of(r.table());
        boolean barrier = r.safe() || !r.fkChecks() || r.op() == RowOp.KEY_UPDATE || r.byRowImage() || !f.movable();
        // deletes whose cascades may meet each other run one by one, in order: InnoDB deletes a multi-row IN list in
        // index order, not ours, and a RESTRICT met on one path may be lifted by a cascade on another
        boolean alone = r.op() == RowOp.DELETE && !f.deletesCommute();
        int last = groups.size() - 1;
        // once per row: every group the row passes compares it; not needed where nothing looks back
        Object key = barrier || !enabled ? null : comparableKey(r.key());
        if (barrier || alone || !enabled) {
            if (!alone && last >= 0 && groups.get(last).accepts(r)) {
                groups.get(last).add(r, key);
            } else {
                groups.add(new Group(r, key, f, barrier, alone));
            }
            return;
        }
        for (int i = last; i >= 0 && i > last - LOOK_BACK; i--) {
            Group g = groups.get(i);
            if (g.accepts(r)) {
                g.add(r, key);
                return;
            }
            if (g.barrier || g.conflictsWith(r, f, key)) {
                break;
            }
        }
        groups.add(new Group(r, key, f, false, false));
    }

    /** One multi-row statement's rows: one table, one statement kind, so one footprint; and the keys it touches. */
    private static final class Group {
        final List<PlannedRow> rows = new ArrayList<>();
        final Footprint footprint;
        final boolean barrier;
        final boolean alone;
        /**
         * The keys of its rows, in a list as they come; as a set only once a row of the same table asks whether it
         * may pass (most groups are never asked, and hashing every key of a large group is most of packing's time).
         */
        private final List<Object> keyList = new ArrayList<>();

        private Set<Object> keySet;
        /** A key that cannot be told apart from others by value (strings under a collation, floats, bytes). */
        boolean fuzzyKeys;

        /** {@code key}: the row's {@link #comparableKey}, or null (not comparable, or in a group nothing passes). */
        Group(PlannedRow first, Object key, Footprint footprint, boolean barrier, boolean alone) {
            this.footprint = footprint;
            this.barrier = barrier;
            this.alone = alone;
            add(first, key);
        }

        PlannedRow first() {
            return rows.get(0);
        }

        boolean accepts(PlannedRow r) {
            return !alone && first().sameStatementAs(r);
        }

        void add(PlannedRow r, Object key) {
            rows.add(r);
            if (footprint != null && !barrier) {
                if (key == null) {
                    fuzzyKeys = true;
                } else {
                    keyList.add(key);
                    if (keySet != null) {
                        keySet.add(key);
                    }
                }
            }
        }

        /**
         * Whether moving {@code r} (later) ahead of this group could change the outcome. Same table: only rows of other
         * keys commute, and two deletes never pass each other. Other tables: they conflict when one writes a table the
         * other writes, or this group writes a table whose rows r's FK checks read. The reverse read needs no check: r
         * is then an upsert of a parent, which only adds or updates a row by its key, so a child's FK check that
         * passed before it still passes after it.
         */
        boolean conflictsWith(PlannedRow r, Footprint rf, Object rKey) {
            PlannedRow g = first();
            if (g.table() == r.table() || footprint.table().equals(rf.table())) {
                return (g.op() == RowOp.DELETE && r.op() == RowOp.DELETE)
                        || rKey == null
                        || fuzzyKeys
                        || keys().contains(rKey);
            }
            Set<TableId> mine = writes(g.op(), footprint);
            return intersects(mine, writes(r.op(), rf)) || (r.op() == RowOp.UPSERT && intersects(mine, rf.parents()));
        }

        private Set<Object> keys() {
            if (keySet == null) {
                keySet = new HashSet<>(keyList);
            }
            return keySet;
        }

        private static Set<TableId> writes(RowOp op, Footprint f) {
            return op == RowOp.UPSERT ? Set.of(f.table()) : f.deleteReach();
        }

        private static boolean intersects(Set<TableId> a, Set<TableId> b) {
            Set<TableId> small = a.size() <= b.size() ? a : b;
            Set<TableId> large = small == a ? b : a;
            for (TableId t : small) {
                if (large.contains(t)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * The key as a value that equals another key's exactly when the target would see one row: integers and decimals
     * by numeric value. Null for anything else (strings compare under collations that ignore case, accents or trailing
     * spaces; floats and bytes are not worth the risk): such a row never passes a row of its own table. Built for
     * every row a packed batch holds, so the common case is cheap: a whole number that fits a long is that Long, a
     * single-column key is its value alone, and only other numbers become (stripped) BigDecimals.
     */
    static Object comparableKey(Object[] key) {
        if (key == null) {
            return null;
        }
        if (key.length == 1) {
            return comparable(key[0]);
        }
        Object[] out = new Object[key.length];
        for (int k = 0; k < key.length; k++) {
            if ((out[k] = comparable(key[k])) == null) {
                return null;
            }
        }
        return Arrays.asList(out); // equals and hashCode element by element
    }

    /** One column's canonical value: a Long for every whole number in long's range, else a stripped BigDecimal. */
    private static Object comparable(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        BigDecimal d;
        if (v instanceof BigInteger b) {
            d = new BigDecimal(b);
        } else if (v instanceof BigDecimal b) {
            d = b;
        } else {
            return null;
        }
        if (d.signum() == 0) {
            return 0L;
        }
        d = d.stripTrailingZeros();
        if (d.scale() <= 0 && d.precision() - d.scale() <= 19) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                // beyond long's range: stays a BigDecimal, which no Long equals
            }
        }
        return d;
    }
}
