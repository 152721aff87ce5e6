package io.fksafe.sink.apply;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.fksafe.sink.metadata.ForeignKey;
import io.fksafe.sink.metadata.TableId;
import io.fksafe.sink.metadata.TableMeta;

/**
 * What a row change on a table can touch through the target's foreign keys, for {@link StatementPacker}: the tables an
 * upsert's FK checks read (its parents), the tables a delete can reach (the table and every descendant, whatever the
 * rule: CASCADE and SET NULL write there, RESTRICT reads there), and whether rows of the table may move at all.
 * Cached per table until metadata is refreshed.
 */
final class TableFootprints {

    /** Target metadata by table id; null for a table that does not exist. */
    interface Tables {
        TableMeta get(TableId id) throws SQLException;
    }

    /**
     * @param movable rows of the table may be reordered: it is keyed, has no unique key besides the one that finds its
     *                rows, every FK pointing at it points at exactly that key, and it is on no FK cycle
     * @param deletesCommute no table is reachable from it by two FK paths (nor through a cycle), so deletes of two
     *                       different keys touch disjoint rows and may share one statement in any order
     */
    record Footprint(
            TableId table, boolean movable, Set<TableId> parents, Set<TableId> deleteReach, boolean deletesCommute) {}

    private final Tables tables;
    /** TableMeta instances live until metadata is refreshed, which also clears this. */
    private final Map<TableMeta, Footprint> cache = new IdentityHashMap<>();

    TableFootprints(Tables tables) {
        this.tables = tables;
    }

    Footprint of(TableMeta table) throws SQLException {
        Footprint f = cache.get(table);
        if (f == null) {
            f = compute(table);
            cache.put(table, f);
        }
        return f;
    }

    void forget() {
        cache.clear();
    }

    private Footprint compute(TableMeta table) throws SQLException {
        Set<TableId> parents = new HashSet<>();
        for (ForeignKey fk : table.foreignKeys()) {
            parents.add(fk.parent());
        }
        Set<TableId> reach = new HashSet<>();
        reach.add(table.id());
        boolean cyclic = false;
        boolean singlePaths = true;
        boolean known = true;
        Deque<TableMeta> todo = new ArrayDeque<>();
        todo.add(table);
        while (!todo.isEmpty()) {
            for (ForeignKey fk : todo.poll().referencedBy()) {
                TableId child = fk.child();
                if (child.equals(table.id())) {
                    cyclic = true; // self-referencing, or a cycle back through descendants
                    continue;
                }
                if (!reach.add(child)) {
                    singlePaths = false; // a second FK path to the same table (or a cycle below)
                    continue;
                }
                TableMeta meta = tables.get(child);
                if (meta == null) {
                    known = false;
                } else {
                    todo.add(meta);
                }
            }
        }
        boolean movable = known && !cyclic && keyedByItsOnlyKey(table);
        return new Footprint(
                table.id(), movable, Set.copyOf(parents), Set.copyOf(reach), singlePaths && !cyclic && known);
    }

    /**
     * An upsert then collides on exactly the key that finds the row and never changes a value another row refers to,
     * so it fires no ON UPDATE rule and cannot hit a different row through another unique key.
     */
    private static boolean keyedByItsOnlyKey(TableMeta table) {
        List<String> identity;
        if (!table.primaryKey().isEmpty()) {
            if (!table.uniqueKeys().isEmpty()) {
                return false;
            }
            identity = table.primaryKey();
        } else if (table.uniqueKeys().size() == 1 && table.uniqueNotNullKeys().size() == 1) {
            identity = table.uniqueNotNullKeys().get(0);
        } else {
            return false;
        }
        for (ForeignKey fk : table.referencedBy()) {
            if (!sameColumns(fk.parentColumns(), identity)) {
                return false;
            }
        }
        return true;
    }

    static boolean sameColumns(List<String> a, List<String> b) {
        return a.size() == b.size() && lower(a).equals(lower(b));
    }

    private static Set<String> lower(List<String> columns) {
        Set<String> out = new HashSet<>();
        columns.forEach(c -> out.add(c.toLowerCase(Locale.ROOT)));
        return out;
    }
}
