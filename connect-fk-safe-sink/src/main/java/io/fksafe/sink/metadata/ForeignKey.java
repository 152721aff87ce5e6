package io.fksafe.sink.metadata;

import java.util.List;

/** A foreign key of a child table: its columns point at {@code parentColumns} of {@code parent}. */
public record ForeignKey(
        String name,
        TableId child,
        List<String> columns,
        TableId parent,
        List<String> parentColumns,
        FkRule onDelete,
        FkRule onUpdate) {

    public boolean selfReferencing() {
        return child.equals(parent);
    }
}
