package io.fksafe.sink.plan;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

import io.fksafe.change.ChangeRecord;
import io.fksafe.sink.metadata.ColumnMeta;
import io.fksafe.sink.metadata.TableMeta;
import io.fksafe.sink.record.RecordRef;
import io.fksafe.sink.types.ValueConverter;

/** Turns a change record into a {@link PlannedRow} for its target table, by {@link ApplyRules}. */
public final class Planner {

    private static final int MAX_LAYOUTS = 4096;

    /** Converters reuse Schema instances, so layouts are looked up by identity, not a deep equals per row. */
    private final Map<TableMeta, Map<Schema, RowLayout>> layouts = new HashMap<>();

    private int layoutCount;
    private final RowIdentity identities = new RowIdentity();

    public PlannedRow plan(RecordRef ref, ChangeRecord change, TableMeta table, boolean safe) {
        // the source table's name is only for messages: built when one is written, not per row
        RowOp op = ApplyRules.statementFor(change.op());
        boolean fkChecks = ApplyRules.foreignKeyChecks(change.op());
        Struct findBy = op == RowOp.KEY_UPDATE ? change.oldKey() : change.key();
        RowIdentity.Choice id = identities.of(table, findBy.schema(), change);
        if (op == RowOp.DELETE) {
            Object[] key = keyValues(table, id.columns(), change.key(), change.row(), change);
            return new PlannedRow(
                    ref,
                    change.database(),
                    change.table(),
                    table,
                    op,
                    fkChecks,
                    safe,
                    id.columns(),
                    null,
                    id.columns(),
                    id.byRowImage(),
                    key,
                    8 * key.length);
        }
        int[] bytes = {0};
        RowLayout layout = layout(table, change.row().schema(), change);
        Object[] values = layout.values(change.row(), bytes);
        Object[] key = op == RowOp.KEY_UPDATE
                ? keyValues(table, id.columns(), change.oldKey(), null, change)
                : keyValues(table, id.columns(), change.key(), change.row(), change);
        return new PlannedRow(
                ref,
                change.database(),
                change.table(),
                table,
                op,
                fkChecks,
                safe,
                layout.columns,
                values,
                id.columns(),
                id.byRowImage(),
                key,
                bytes[0]);
    }

    /** Drops every layout: table metadata was refreshed. */
    public void forgetAll() {
        layouts.clear();
        layoutCount = 0;
    }

    private RowLayout layout(TableMeta table, Schema rowSchema, ChangeRecord change) {
        Map<Schema, RowLayout> bySchema = layouts.computeIfAbsent(table, t -> new IdentityHashMap<>());
        RowLayout layout = bySchema.get(rowSchema);
        if (layout == null) {
            if (++layoutCount > MAX_LAYOUTS) { // a converter that never reuses schemas must not grow this without bound
                layouts.clear();
                layoutCount = 1;
                bySchema = layouts.computeIfAbsent(table, t -> new IdentityHashMap<>());
            }
            layout = RowLayout.of(table, rowSchema, source(change));
            bySchema.put(rowSchema, layout);
        }
        return layout;
    }

    /** Values of the identity columns from the key struct, falling back to the row image (a key built from other columns). */
    private static Object[] keyValues(TableMeta table, List<String> pk, Struct key, Struct row, ChangeRecord change) {
        Object[] out = new Object[pk.size()];
        for (int k = 0; k < pk.size(); k++) {
            String col = pk.get(k);
            Struct from = key != null && field(key.schema(), col) != null ? key : row;
            Field f = from == null ? null : field(from.schema(), col);
            if (f == null) {
                throw new DataException(
                        "the key of a change to " + source(change) + " has no value for target key column '" + col
                                + "' of " + table.id() + "; source and target primary keys must match");
            }
            ColumnMeta c = table.column(col);
            out[k] = ValueConverter.toJdbc(f.schema(), from.getWithoutDefault(f.name()), c);
        }
        return out;
    }

    /** The source table as messages name it: {@code db.table}. */
    static String source(ChangeRecord change) {
        return change.database() + "." + change.table();
    }

    static Field field(Schema schema, String name) {
        Field f = schema.field(name);
        if (f != null) {
            return f;
        }
        for (Field candidate : schema.fields()) {
            if (candidate.name().equalsIgnoreCase(name)) {
                return candidate;
            }
        }
        return null;
    }
}
