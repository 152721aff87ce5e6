package io.fksafe.sink.plan;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

import io.fksafe.sink.metadata.ColumnMeta;
import io.fksafe.sink.metadata.TableMeta;
import io.fksafe.sink.types.ValueConverter;

/**
 * How the fields of one row schema land in one target table's columns, worked out once per (table, schema) so the
 * per-row work is a loop over fields.
 */
final class RowLayout {

    final List<String> columns;
    private final Field[] fields;
    private final ColumnMeta[] targetColumns;

    private RowLayout(List<String> columns, Field[] fields, ColumnMeta[] targetColumns) {
        this.columns = columns;
        this.fields = fields;
        this.targetColumns = targetColumns;
    }

    static RowLayout of(TableMeta table, Schema rowSchema, String source) {
        List<String> names = new ArrayList<>();
        List<Field> fields = new ArrayList<>();
        List<ColumnMeta> cols = new ArrayList<>();
        for (Field f : rowSchema.fields()) {
            ColumnMeta c = table.column(f.name());
            if (c == null) {
                throw new DataException(
                        "source column '" + f.name() + "' of " + source + " has no column in target table "
                                + table.id() + "; add the column on the target (ALTER TABLE "
                                + table.id().quoted() + " ADD COLUMN ...) "
                                + "or map the source table to a target table that has it ('table.mapping')");
            }
            if (c.generated()) {
                continue; // the target computes it and refuses a value (1906)
            }
            names.add(c.name());
            fields.add(f);
            cols.add(c);
        }
        for (String pk : table.primaryKey()) {
            if (!table.column(pk).generated() && !names.stream().anyMatch(pk::equalsIgnoreCase)) {
                throw new DataException(
                        "target table " + table.id() + " has primary key column '" + pk + "' that the row of " + source
                                + " does not carry; the target's primary key must be made of source columns");
            }
        }
        return new RowLayout(List.copyOf(names), fields.toArray(Field[]::new), cols.toArray(ColumnMeta[]::new));
    }

    Object[] values(Struct row, int[] bytesOut) {
        Object[] out = new Object[fields.length];
        int bytes = 0;
        for (int i = 0; i < fields.length; i++) {
            Field f = fields[i];
            // never row.get(f): it answers a null with the schema's default, and Debezium puts column DEFAULTs there
            Object v = ValueConverter.toJdbc(f.schema(), row.getWithoutDefault(f.name()), targetColumns[i]);
            out[i] = v;
            bytes += ValueConverter.estimateSize(v);
        }
        bytesOut[0] += bytes;
        return out;
    }
}
