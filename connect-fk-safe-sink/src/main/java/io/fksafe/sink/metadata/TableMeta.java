package io.fksafe.sink.metadata;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the sink knows of one target table: columns in order, primary key, and the FKs it has as a child. */
public final class TableMeta {

    private final TableId id;
    private final List<ColumnMeta> columns;
    private final Map<String, ColumnMeta> byName;
    private final List<String> primaryKey;
    private final List<ForeignKey> foreignKeys;
    private final List<ForeignKey> referencedBy;
    private final boolean selfReferencing;

    public TableMeta(TableId id, List<ColumnMeta> columns, List<String> primaryKey, List<ForeignKey> foreignKeys,
                     List<ForeignKey> referencedBy) {
        this.id = id;
        this.columns = List.copyOf(columns);
        Map<String, ColumnMeta> m = new LinkedHashMap<>();
        for (ColumnMeta c : columns) {
            m.put(c.name().toLowerCase(Locale.ROOT), c);
        }
        this.byName = Collections.unmodifiableMap(m);
        this.primaryKey = List.copyOf(primaryKey);
        this.foreignKeys = List.copyOf(foreignKeys);
        this.referencedBy = List.copyOf(referencedBy);
        this.selfReferencing = foreignKeys.stream().anyMatch(ForeignKey::selfReferencing);
    }

    public TableId id() { return id; }
    public List<ColumnMeta> columns() { return columns; }
    public List<String> primaryKey() { return primaryKey; }
    /** FKs of this table as a child. */
    public List<ForeignKey> foreignKeys() { return foreignKeys; }
    /** FKs of other tables (or this one) that point at this table. */
    public List<ForeignKey> referencedBy() { return referencedBy; }
    /** Rows of such a table may depend on rows of the same statement, so deletes go one at a time. */
    public boolean selfReferencing() { return selfReferencing; }

    /** The column of that name; MySQL column names are case-insensitive. */
    public ColumnMeta column(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }
}
