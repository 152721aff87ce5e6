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
import io.fksafe.sink.types.ValueConverter;

/** Turns a change record into a {@link PlannedRow} for its target table, by {@link ApplyRules}. */
public final class Planner {

    private static final int MAX_LAYOUTS = 4096;

    /** Converters reuse Schema instances, so layouts are looked up by identity, not a deep equals per row. */
    private final Map<TableMeta, Map<Schema, RowLayout>> layouts = new HashMap<>();
    private int layoutCount;

    public PlannedRow plan(RecordRef ref, ChangeRecord change, TableMeta table, boolean safe) {
        String source = change.database() + "." + change.table();
        if (table.primaryKey().isEmpty()) {
            throw new DataException("target table " + table.id() + " (for " + source + ", record " + ref + ") has no primary "
                    + "key; fksafe applies changes by primary key, so add one on the target");
        }
        RowOp op = ApplyRules.statementFor(change.op());
        boolean fkChecks = ApplyRules.foreignKeyChecks(change.op());
        int[] bytes = {0};
        if (op == RowOp.DELETE) {
            Object[] key = keyValues(table, change.key(), change.row(), source);
            bytes[0] = 8 * key.length;
            return new PlannedRow(ref, source, table, op, fkChecks, safe, table.primaryKey(), null, key, bytes[0]);
        }
        RowLayout layout = layout(table, change.row().schema(), source);
        Object[] values = layout.values(change.row(), bytes);
        Object[] key = op == RowOp.KEY_UPDATE
                ? keyValues(table, change.oldKey(), null, source)
                : pick(table, layout.columns, values);
        return new PlannedRow(ref, source, table, op, fkChecks, safe, layout.columns, values, key, bytes[0]);
    }

    /** Drops every layout: table metadata was refreshed. */
    public void forgetAll() {
        layouts.clear();
        layoutCount = 0;
    }

    private RowLayout layout(TableMeta table, Schema rowSchema, String source) {
        Map<Schema, RowLayout> bySchema = layouts.computeIfAbsent(table, t -> new IdentityHashMap<>());
        RowLayout layout = bySchema.get(rowSchema);
        if (layout == null) {
            if (++layoutCount > MAX_LAYOUTS) { // a converter that never reuses schemas must not grow this without bound
                layouts.clear();
                layoutCount = 1;
                bySchema = layouts.computeIfAbsent(table, t -> new IdentityHashMap<>());
            }
            layout = RowLayout.of(table, rowSchema, source);
            bySchema.put(rowSchema, layout);
        }
        return layout;
    }

    private static Object[] pick(TableMeta table, List<String> columns, Object[] values) {
        List<String> pk = table.primaryKey();
        Object[] key = new Object[pk.size()];
        for (int k = 0; k < pk.size(); k++) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).equalsIgnoreCase(pk.get(k))) {
                    key[k] = values[i];
                    break;
                }
            }
        }
        return key;
    }

    /** Primary-key values from the key struct, falling back to the row image (a key built from other columns). */
    private static Object[] keyValues(TableMeta table, Struct key, Struct row, String source) {
        List<String> pk = table.primaryKey();
        Object[] out = new Object[pk.size()];
        for (int k = 0; k < pk.size(); k++) {
            String col = pk.get(k);
            Struct from = key != null && field(key.schema(), col) != null ? key : row;
            Field f = from == null ? null : field(from.schema(), col);
            if (f == null) {
                throw new DataException("the key of a change to " + source + " has no value for target primary-key column '"
                        + col + "' of " + table.id() + "; source and target primary keys must match");
            }
            ColumnMeta c = table.column(col);
            out[k] = ValueConverter.toJdbc(f.schema(), from.getWithoutDefault(f.name()), c);
        }
        return out;
    }

    private static Field field(Schema schema, String name) {
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
