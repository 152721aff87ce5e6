package io.fksafe.sink.ddl;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.fksafe.sink.ddl.DdlStatement.ColumnChange;
import io.fksafe.sink.ddl.TokenCursor.QualifiedName;
import io.fksafe.sink.metadata.TableId;

/**
 * Where one table's older rows live after the schema changes that ran later: the table's name now (or the statement
 * that dropped it), and per column of the older row its name now (null once dropped). Built from journaled target
 * statements in stream order; each ALTER TABLE is read as MySQL does, every column named as before the statement.
 */
final class TableTrail {

    /** One journaled statement; {@code statement} is null for a row an operator marked done by hand. */
    record Step(JournalEntry entry, DdlStatement statement) {}

    TableId table;
    /** The statement that dropped (or replaced) the table, if any: its older rows are gone with it. */
    JournalEntry droppedBy;
    /** The last statement that changed the table's primary key. */
    JournalEntry keyChangedBy;
    /** A statement that names the table and cannot be read. */
    Step unreadable;
    /** Journal rows marked done by hand, without a statement: what they did is unknown. */
    final List<JournalEntry> byHand = new ArrayList<>();
    /** Column name in the older row -> its name now, or null when dropped later. */
    final Map<String, String> names = new LinkedHashMap<>();
    /** What happened, for the log and the counts: one line per change, keyed by the older column (or table). */
    final Map<String, String> notes = new LinkedHashMap<>();

    private TableTrail(TableId table, Collection<String> columns) {
        this.table = table;
        for (String c : columns) {
            names.put(c, c);
        }
    }

    static TableTrail follow(List<Step> steps, TableId start, Collection<String> columns) {
        TableTrail t = new TableTrail(start, columns);
        for (Step step : steps) {
            if (step.statement() == null) {
                t.byHand.add(step.entry());
                continue;
            }
            t.apply(step);
            if (t.droppedBy != null || t.unreadable != null) {
                break;
            }
        }
        return t;
    }

    private void apply(Step step) {
        DdlStatement s = step.statement();
        JournalEntry e = step.entry();
        switch (s.kind) {
            case DROP_DATABASE -> {
                if (s.subject != null && s.subject.tableName().equalsIgnoreCase(table.database())) {
                    droppedBy = e;
                }
            }
            case DROP_TABLE -> {
                if (s.tables.stream().anyMatch(q -> names(s, q))) {
                    droppedBy = e;
                }
            }
            case CREATE_TABLE -> {
                if (s.orReplace && s.subject != null && names(s, s.subject)) {
                    droppedBy = e;
                }
            }
            case RENAME_TABLE -> {
                for (int i = 0; i + 1 < s.tables.size(); i += 2) { // a TO b pairs, applied left to right
                    if (names(s, s.tables.get(i))) {
                        renameTable(s, s.tables.get(i + 1), e);
                    }
                }
            }
            case ALTER_TABLE -> {
                if (s.subject != null && names(s, s.subject)) {
                    alter(s, e);
                }
            }
            case UNSUPPORTED -> {
                if (s.tokens.stream()
                        .anyMatch(tok -> tok.isIdentifier() && tok.name().equalsIgnoreCase(table.table()))) {
                    unreadable = step;
                }
            }
            default -> {
                // indexes, databases, other tables: the rows of this one keep their shape
            }
        }
    }

    private void alter(DdlStatement s, JournalEntry e) {
        Map<String, String> before = new LinkedHashMap<>(names);
        for (ColumnChange c : s.columnChanges) {
            switch (c.kind()) {
                case ADD ->
                    notes.putIfAbsent(
                            "+" + lower(c.to()),
                            "column '" + c.to() + "' added later (" + at(e)
                                    + "): the target's value is kept, its default on insert");
                case DROP, RENAME, RETYPE ->
                    before.forEach((orig, now) -> {
                        if (now == null || !now.equalsIgnoreCase(c.from())) {
                            return;
                        }
                        if (c.kind() == DdlStatement.ColumnChangeKind.RETYPE) {
                            notes.put(
                                    "~" + orig,
                                    "column '" + now + "' changed type later (" + at(e)
                                            + "): the value is converted by the target to today's type");
                            return;
                        }
                        names.put(orig, c.to());
                        notes.put(
                                orig,
                                c.to() == null
                                        ? "column '" + now + "' dropped later (" + at(e) + "): ignored"
                                        : "column '" + orig + "' renamed later to '" + c.to() + "' (" + at(e)
                                                + "): written under the new name");
                    });
            }
        }
        if (s.keyChanged) {
            keyChangedBy = e;
        }
        if (s.renamedTo != null) {
            renameTable(s, s.renamedTo, e);
        }
    }

    private void renameTable(DdlStatement s, QualifiedName to, JournalEntry e) {
        String db = s.databaseOf(to);
        TableId next = new TableId(db == null ? table.database() : db, to.tableName());
        notes.put("table " + table, "table " + table + " renamed later to " + next + " (" + at(e) + "): followed");
        table = next;
    }

    /** True when {@code q}, as the statement names it, is the table being followed. */
    private boolean names(DdlStatement s, QualifiedName q) {
        String db = s.databaseOf(q);
        return db != null && DdlParser.key(db, q.tableName()).equals(DdlParser.key(table.database(), table.table()));
    }

    static String at(JournalEntry e) {
        return "offset " + e.offset() + ": " + DdlApplier.abbreviate(e.statement());
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
