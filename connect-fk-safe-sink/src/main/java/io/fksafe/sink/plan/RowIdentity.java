package io.fksafe.sink.plan;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fksafe.change.ChangeRecord;
import io.fksafe.sink.metadata.TableId;
import io.fksafe.sink.metadata.TableMeta;

/**
 * Which target columns find the row a change is about: the primary key; else the shortest unique NOT NULL key the
 * change's key carries (Debezium keys such a table by one of them); else, for a table with neither, the whole row
 * image, matched null-safely one row at a time, as DM does. docs/sink.md says what the last means for replays.
 */
final class RowIdentity {

    private static final Logger log = LoggerFactory.getLogger(RowIdentity.class);

    record Choice(List<String> columns, boolean byRowImage) {}

    /** Tables whose identity was logged, so the note appears once per table and task, not per row. */
    private final Set<TableId> announced = new HashSet<>();

    Choice of(TableMeta table, Schema keySchema, ChangeRecord change) {
        if (!table.primaryKey().isEmpty()) {
            return new Choice(table.primaryKey(), false);
        }
        for (List<String> uk : table.uniqueNotNullKeys()) {
            if (uk.stream().allMatch(c -> Planner.field(keySchema, c) != null)) {
                announce(table, "has no primary key; rows are found by its unique NOT NULL key " + uk);
                return new Choice(uk, false);
            }
        }
        String source = Planner.source(change);
        if (!table.keyless()) {
            throw new DataException("the key of a change to " + source + " carries none of the unique NOT NULL keys "
                    + table.uniqueNotNullKeys() + " of target table " + table.id() + " (it has " + names(keySchema)
                    + "); give the target the source's primary or unique key, or set Debezium's 'message.key.columns' for "
                    + source + " to one of those keys");
        }
        List<String> all = table.writableColumns();
        for (String c : all) {
            if (Planner.field(keySchema, c) == null) {
                throw new DataException(
                        "target table " + table.id() + " has no primary or unique NOT NULL key, so rows are"
                                + " found by their whole image, but the change to " + source
                                + " carries no value for column '" + c
                                + "'; the target table must have the source table's columns (or add a key to both)");
            }
        }
        announce(
                table,
                "has no primary key and no unique NOT NULL key; rows are found by their whole image (UPDATE/DELETE"
                        + " ... WHERE every column <=> the old value LIMIT 1), so a replay of changes the target already has can"
                        + " insert a row twice; see docs/sink.md ('Tables without a primary key')");
        return new Choice(all, true);
    }

    private void announce(TableMeta table, String what) {
        if (announced.add(table.id())) {
            log.warn("Target table {} {}", table.id(), what);
        }
    }

    private static List<String> names(Schema schema) {
        return schema.fields().stream()
                .map(org.apache.kafka.connect.data.Field::name)
                .toList();
    }
}
