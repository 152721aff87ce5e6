package io.fksafe.sink.ddl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.fksafe.sink.ddl.SqlLexer.Token;
import io.fksafe.sink.ddl.TokenCursor.QualifiedName;

/**
 * A parsed DDL statement: its kind, the tables and databases it names (with the tokens that spell them, for
 * rewriting), the parts of a table definition or alteration (for dialect translation), and its catalog effects
 * (for crash recovery). Filled in by {@link DdlParser}; read-only afterwards.
 */
final class DdlStatement {

    /** A piece of a CREATE TABLE body or one ALTER TABLE specification. */
    enum PartKind {
        COLUMN,
        PRIMARY_KEY,
        UNIQUE,
        INDEX,
        FULLTEXT,
        SPATIAL,
        FOREIGN_KEY,
        CHECK,
        OPTIONS,
        PARTITION,
        OTHER
    }

    record Part(PartKind kind, List<Token> tokens) {}

    /** The statement raises ({@code adds}) or lowers the probe's count when it runs. */
    record Effect(CatalogProbe probe, boolean adds) {}

    /** What an ALTER TABLE does to one column's rows, for carrying older rows into the newer schema. */
    enum ColumnChangeKind {
        ADD,
        DROP,
        RENAME,
        RETYPE
    }

    /** {@code from}: the name before the statement (null for ADD); {@code to}: after it (null for DROP). */
    record ColumnChange(ColumnChangeKind kind, String from, String to) {}

    final String sql;
    final List<Token> tokens;
    final String contextDatabase;
    DdlKind kind = DdlKind.UNSUPPORTED;
    /** Why a statement of a skipped kind is skipped, or why an unsupported one is refused. */
    String reason;
    /** The table or database the statement is about (CREATE/ALTER/DROP DATABASE, CREATE/ALTER TABLE, indexes). */
    QualifiedName subject;
    /** The CREATE statement's TABLE/DATABASE/SCHEMA keyword: where a snapshot rewrite inserts IF NOT EXISTS. */
    Token objectKeyword;

    boolean ifNotExists;
    boolean orReplace;
    boolean partitioned;
    final List<QualifiedName> tables = new ArrayList<>();
    final List<Part> parts = new ArrayList<>();
    /** CREATE TABLE options after the body, before any PARTITION clause. */
    List<Token> tableOptions = List.of();

    final List<Effect> effects = new ArrayList<>();
    /** ALTER TABLE: its column changes, each against the table as it was before the statement (MySQL's reading). */
    final List<ColumnChange> columnChanges = new ArrayList<>();
    /** ALTER TABLE ... RENAME TO: the new name. */
    QualifiedName renamedTo;
    /** ALTER TABLE drops or adds the primary key. */
    boolean keyChanged;
    /** Why recovery cannot tell from the catalog whether this ran; null when it can. */
    String uncheckable;
    /** Running it again leaves the catalog as one run does (no effect to check, none needed). */
    boolean rerunnable;
    /**
     * All or nothing on the server: then any one effect seen proves it ran. DROP TABLE of several tables is not (MariaDB
     * drops them one by one).
     */
    boolean atomic = true;

    DdlStatement(String sql, List<Token> tokens, String contextDatabase) {
        this.sql = sql;
        this.tokens = tokens;
        this.contextDatabase = contextDatabase == null || contextDatabase.isEmpty() ? null : contextDatabase;
    }

    boolean isDatabaseStatement() {
        return kind == DdlKind.CREATE_DATABASE || kind == DdlKind.ALTER_DATABASE || kind == DdlKind.DROP_DATABASE;
    }

    /** Some table is named without its database, so the statement needs a default database to run in. */
    boolean needsContext() {
        if (kind == DdlKind.ALTER_DATABASE && subject == null) {
            return true;
        }
        return tables.stream().anyMatch(t -> t.database() == null);
    }

    /** The database a table name resolves to. */
    String databaseOf(QualifiedName name) {
        return name.database() != null ? name.databaseName() : contextDatabase;
    }

    /** Every database the statement touches: the context for unqualified names, qualifiers, database statements'. */
    Set<String> databases() {
        Set<String> out = new LinkedHashSet<>();
        if (isDatabaseStatement()) {
            out.add(subject != null ? subject.tableName() : contextDatabase);
        }
        for (QualifiedName t : tables) {
            out.add(databaseOf(t));
        }
        out.remove(null);
        return out;
    }

    boolean has(PartKind kind) {
        return parts.stream().anyMatch(p -> p.kind() == kind);
    }

    void add(CatalogProbe probe, boolean adds) {
        effects.add(new Effect(probe, adds));
    }
}
