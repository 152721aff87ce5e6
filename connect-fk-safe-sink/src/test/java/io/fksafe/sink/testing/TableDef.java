package io.fksafe.sink.testing;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.Op;

/**
 * A source table as Debezium would describe it: key and row schemas, and change records built from plain values in
 * column order. Schemas are built once, as a converter would reuse them.
 */
public final class TableDef {

    private final String db;
    private final String table;
    private final List<String> columns = new ArrayList<>();
    private final List<Schema> schemas = new ArrayList<>();
    private final List<Integer> keyIdx = new ArrayList<>();
    private Schema keySchema;
    private Schema rowSchema;

    private TableDef(String db, String table) {
        this.db = db;
        this.table = table;
    }

    public static TableDef of(String db, String table) {
        return new TableDef(db, table);
    }

    public TableDef key(String name, Schema schema) {
        keyIdx.add(columns.size());
        return col(name, schema);
    }

    public TableDef col(String name, Schema schema) {
        columns.add(name);
        schemas.add(schema);
        keySchema = null;
        return this;
    }

    public String db() {
        return db;
    }

    private void build() {
        if (keySchema == null) {
            SchemaBuilder k = SchemaBuilder.struct().name(db + "." + table + ".Key");
            for (int i : keyIdx) {
                k.field(columns.get(i), schemas.get(i));
            }
            keySchema = k.build();
            SchemaBuilder r =
                    SchemaBuilder.struct().name(db + "." + table + ".Value").optional();
            for (int i = 0; i < columns.size(); i++) {
                r.field(columns.get(i), schemas.get(i));
            }
            rowSchema = r.build();
        }
    }

    public Struct row(Object... values) {
        build();
        if (values.length != columns.size()) {
            throw new IllegalArgumentException(
                    table + " has " + columns.size() + " columns, got " + values.length + " values");
        }
        Struct s = new Struct(rowSchema);
        for (int i = 0; i < values.length; i++) {
            s.put(columns.get(i), values[i]);
        }
        return s;
    }

    public Struct key(Object... values) {
        build();
        Struct s = new Struct(keySchema);
        for (int i = 0; i < keyIdx.size(); i++) {
            s.put(columns.get(keyIdx.get(i)), values[i]);
        }
        return s;
    }

    private Struct keyOf(Struct row) {
        Struct s = new Struct(keySchema);
        for (int i : keyIdx) {
            s.put(columns.get(i), row.get(columns.get(i)));
        }
        return s;
    }

    private ChangeRecord.Builder change(Op op) {
        return ChangeRecord.builder(op).database(db).table(table);
    }

    public ChangeRecord insert(Object... values) {
        Struct row = row(values);
        return change(Op.INSERT).key(keyOf(row)).row(row).build();
    }

    public ChangeRecord update(Object... values) {
        Struct row = row(values);
        return change(Op.UPDATE).key(keyOf(row)).row(row).build();
    }

    public ChangeRecord read(Object... values) {
        Struct row = row(values);
        return change(Op.READ).key(keyOf(row)).row(row).build();
    }

    public ChangeRecord delete(Object... keyValues) {
        return change(Op.DELETE).key(key(keyValues)).build();
    }

    /** A primary-key change: {@code oldKey} then the full new row. */
    public ChangeRecord keyUpdate(Object[] oldKey, Object... newValues) {
        Struct row = row(newValues);
        return change(Op.KEY_UPDATE)
                .key(keyOf(row))
                .oldKey(key(oldKey))
                .row(row)
                .build();
    }
}
