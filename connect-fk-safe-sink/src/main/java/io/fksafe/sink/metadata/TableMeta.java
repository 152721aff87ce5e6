package io.fksafe.sink.metadata;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the sink knows of one target table: columns in order, primary key, the unique keys that could identify a row
 * instead, and its FKs.
 */
public final class TableMeta {

    private final TableId id;
    private final List<ColumnMeta> columns;
    private final Map<String, ColumnMeta> byName;
    private final List<String> primaryKey;
    private final List<List<String>> uniqueKeys;
    private final List<List<String>> uniqueNotNullKeys;
    private final List<String> writableColumns;
    private final List<ForeignKey> foreignKeys;
    private final List<ForeignKey> referencedBy;
    private final boolean selfReferencing;

    public TableMeta(
            TableId id,
            List<ColumnMeta> columns,
            List<String> primaryKey,
            List<ForeignKey> foreignKeys,
            List<ForeignKey> referencedBy) {
        this(id, columns, primaryKey, List.of(), foreignKeys, referencedBy);
    }

    /** @param uniqueKeys the table's unique keys other than the primary key, nullable columns included */
    public TableMeta(
            TableId id,
            List<ColumnMeta> columns,
            List<String> primaryKey,
            List<List<String>> uniqueKeys,
            List<ForeignKey> foreignKeys,
            List<ForeignKey> referencedBy) {
        this.id = id;
        this.columns = List.copyOf(columns);
        Map<String, ColumnMeta> m = new LinkedHashMap<>();
        for (ColumnMeta c : columns) {
            m.put(c.name().toLowerCase(Locale.ROOT), c);
        }
        this.byName = Collections.unmodifiableMap(m);
        this.primaryKey = List.copyOf(primaryKey);
        this.uniqueKeys = uniqueKeys.stream().map(List::copyOf).toList();
        this.uniqueNotNullKeys = uniqueKeys.stream()
                .filter(k -> k.stream()
                        .allMatch(c -> byName.containsKey(c.toLowerCase(Locale.ROOT))
                                && !column(c).nullable()))
                .sorted(Comparator.comparingInt(List::size)) // stable: ties keep the server's order
                .map(List::copyOf)
                .toList();
        this.writableColumns = columns.stream()
                .filter(c -> !c.generated())
                .map(ColumnMeta::name)
                .toList();
        this.foreignKeys = List.copyOf(foreignKeys);
        this.referencedBy = List.copyOf(referencedBy);
        this.selfReferencing = foreignKeys.stream().anyMatch(ForeignKey::selfReferencing);
    }

    public TableId id() {
        return id;
    }

    public List<ColumnMeta> columns() {
        return columns;
    }

    public List<String> primaryKey() {
        return primaryKey;
    }
    /** Every unique key other than the primary key, nullable columns included. */
    public List<List<String>> uniqueKeys() {
        return uniqueKeys;
    }
    /** Unique keys whose columns are all NOT NULL, shortest first: each identifies a row as well as a primary key. */
    public List<List<String>> uniqueNotNullKeys() {
        return uniqueNotNullKeys;
    }
    /** Neither a primary key nor a unique NOT NULL key: rows are found by their whole image. */
    public boolean keyless() {
        return primaryKey.isEmpty() && uniqueNotNullKeys.isEmpty();
    }
    /** Columns the sink writes: all but generated ones, in table order. */
    public List<String> writableColumns() {
        return writableColumns;
    }
    /** FKs of this table as a child. */
    public List<ForeignKey> foreignKeys() {
        return foreignKeys;
    }
    /** FKs of other tables (or this one) that point at this table. */
    public List<ForeignKey> referencedBy() {
        return referencedBy;
    }
    /** Rows of such a table may depend on rows of the same statement, so deletes go one at a time. */
    public boolean selfReferencing() {
        return selfReferencing;
    }

    /** The column of that name; MySQL column names are case-insensitive. */
    public ColumnMeta column(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }
}
