package io.fksafe.sink.ddl;

import io.fksafe.sink.config.FkSafeSinkConfig;
import io.fksafe.sink.config.TableMapping;
import io.fksafe.sink.ddl.TokenCursor.QualifiedName;
import io.fksafe.sink.metadata.TableId;

/**
 * Points a source statement at the target through {@code table.mapping}. Database-level entries ({@code db.*=db2.*})
 * are honoured by running in {@code db2} and rewriting {@code db.} qualifiers and database names; a table-level entry
 * that renames a table the statement names is refused: rewriting table names inside DDL is not done.
 */
final class DdlMapper {

    /** The statement as it runs on the target, and the database it runs in (null: none needed). */
    record Mapped(String sql, String contextDatabase) {}

    private DdlMapper() {}

    /** {@code ifNotExists}: also turn CREATE TABLE/DATABASE into CREATE ... IF NOT EXISTS (for snapshot DDL). */
    static Mapped map(DdlStatement s, TableMapping mapping, boolean ifNotExists) {
        TextEdits edits = new TextEdits(s.sql);
        for (QualifiedName t : s.tables) {
            String db = s.databaseOf(t);
            if (db == null) {
                throw new DdlRefusedException("it names table '" + t.tableName()
                        + "' without a database, and the record " + "names no database to run it in");
            }
            String targetDb = mapping.targetDatabase(db);
            TableId mapped = mapping.target(db, t.tableName());
            if (!mapped.database().equals(targetDb) || !mapped.table().equals(t.tableName())) {
                throw new DdlRefusedException(
                        "'" + FkSafeSinkConfig.TABLE_MAPPING + "' maps table " + db + "." + t.tableName()
                                + " to " + mapped
                                + ", and DDL is replicated only where tables keep their names (no mapping, or "
                                + "'db.*=db2.*' entries). Apply the change to " + mapped + " by hand");
            }
            if (t.database() != null && !targetDb.equals(db)) {
                edits.replace(t.database(), TableId.quote(targetDb));
            }
        }
        if (s.isDatabaseStatement() && s.subject != null) {
            String targetDb = mapping.targetDatabase(s.subject.tableName());
            if (!targetDb.equals(s.subject.tableName())) {
                edits.replace(s.subject.name(), TableId.quote(targetDb));
            }
        }
        if (ifNotExists
                && !s.ifNotExists
                && s.objectKeyword != null
                && (s.kind == DdlKind.CREATE_TABLE || s.kind == DdlKind.CREATE_DATABASE)) {
            edits.insertAfter(s.objectKeyword, " IF NOT EXISTS");
        }
        String context =
                s.contextDatabase == null || !s.needsContext() ? null : mapping.targetDatabase(s.contextDatabase);
        return new Mapped(edits.apply(), context);
    }
}
