package io.fksafe.sink.ddl;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.fksafe.sink.ddl.DdlStatement.Part;
import io.fksafe.sink.ddl.DdlStatement.PartKind;
import io.fksafe.sink.ddl.SqlLexer.Token;
import io.fksafe.sink.dialect.Dialect;
import io.fksafe.sink.dialect.DialectKind;

/**
 * Rewrites a statement for the target's dialect where that is safe, and refuses it with the workaround where it is
 * not. MySQL and MariaDB targets run statements as they are. For TiDB, by what its dialect says its release can do: table
 * options it parses and ignores are removed, FULLTEXT indexes (which TiDB accepts with a warning and does not create)
 * are removed; spatial columns and indexes, foreign keys on partitioned tables or before TiDB v6.6, several changes in
 * one ALTER TABLE before v6.2, MariaDB's UCA 14.0 collations, system versioning and CREATE OR REPLACE are refused.
 */
final class DdlTranslator {

    /** The statement to run (null: nothing is left to run on this target) and what was changed, for the log. */
    record Translation(String sql, List<String> changes) {}

    private static final Set<String> SPATIAL_TYPES = Set.of(
            "GEOMETRY",
            "POINT",
            "LINESTRING",
            "POLYGON",
            "MULTIPOINT",
            "MULTILINESTRING",
            "MULTIPOLYGON",
            "GEOMETRYCOLLECTION",
            "GEOMCOLLECTION");
    private static final String BY_HAND =
            "apply an equivalent change to the target by hand and record it as done in the DDL journal "
                    + "(the error below shows the statement), or set 'ddl.mode' to 'skip'";

    private DdlTranslator() {}

    static Translation translate(DdlStatement s, Dialect target) {
        if (target.kind() != DialectKind.TIDB) {
            return new Translation(s.sql, List.of());
        }
        return forTiDb(s, target);
    }

    private static Translation forTiDb(DdlStatement s, Dialect target) {
        if (s.orReplace) {
            throw new DdlRefusedException("TiDB has no CREATE OR REPLACE: " + BY_HAND);
        }
        for (Token t : s.tokens) {
            if (t.type() == SqlLexer.Type.WORD
                    && t.text().toLowerCase(java.util.Locale.ROOT).contains("uca1400")) {
                throw new DdlRefusedException(
                        "collation " + t.text() + " (MariaDB's UCA 14.0, the default of MariaDB 11) does "
                                + "not exist on TiDB, and picking another one changes which values count as equal: create the table "
                                + "on the target with the collation you choose (e.g. utf8mb4_0900_ai_ci or utf8mb4_bin) and record "
                                + "the statement as done in the DDL journal");
            }
            if (t.is("VERSIONING")) {
                throw new DdlRefusedException("TiDB has no system-versioned tables: " + BY_HAND);
            }
        }
        boolean foreignKey = false;
        for (Part p : s.parts) {
            boolean spatial = p.kind() == PartKind.SPATIAL
                    || p.kind() == PartKind.COLUMN
                            && p.tokens().size() > 1
                            && p.tokens().get(1).type() == SqlLexer.Type.WORD
                            && SPATIAL_TYPES.contains(p.tokens().get(1).upper());
            if (spatial && !target.hasSpatialTypes()) {
                throw new DdlRefusedException(
                        "TiDB has no spatial types or SPATIAL indexes: leave the table out of replication, " + "or "
                                + BY_HAND);
            }
            foreignKey |= p.kind() == PartKind.FOREIGN_KEY
                    || p.kind() == PartKind.COLUMN && p.tokens().stream().anyMatch(t -> t.is("REFERENCES"));
        }
        if (foreignKey && s.partitioned && !target.foreignKeysOnPartitionedTables()) {
            throw new DdlRefusedException(
                    "TiDB does not support foreign keys on partitioned tables: drop the partitioning or "
                            + "the foreign key on the source, or " + BY_HAND);
        }
        if (foreignKey && !target.enforcesForeignKeys()) {
            throw new DdlRefusedException("TiDB v" + target.version().release().number() + " accepts foreign keys "
                    + "but does not enforce them (TiDB enforces them from v6.6.0): upgrade the target, or " + BY_HAND);
        }
        if (s.kind == DdlKind.ALTER_TABLE
                && !target.alterTakesSeveralChanges()
                && s.parts.stream().filter(p -> p.kind() != PartKind.OPTIONS).count() > 1) {
            throw new DdlRefusedException(
                    "TiDB before v6.2 runs one change per ALTER TABLE: split it into one ALTER TABLE "
                            + "per change on the target and record the statement as done in the DDL journal");
        }
        return stripForTiDb(s, target);
    }

    private static Translation stripForTiDb(DdlStatement s, Dialect target) {
        TextEdits edits = new TextEdits(s.sql);
        List<String> changes = new ArrayList<>();
        boolean dropFulltext = !target.createsFulltextIndexes();
        if (dropFulltext && s.kind == DdlKind.CREATE_INDEX && s.has(PartKind.FULLTEXT)) {
            return new Translation(
                    null, List.of("TiDB does not create FULLTEXT indexes (it only warns): nothing to run"));
        }
        int kept = 0;
        for (Part p : s.parts) {
            if (dropFulltext && p.kind() == PartKind.FULLTEXT) {
                removeListItem(s, edits, p.tokens());
                changes.add("removed FULLTEXT index (TiDB does not create them): " + text(s, p.tokens()));
            } else if (p.kind() == PartKind.OPTIONS && s.kind == DdlKind.ALTER_TABLE) {
                List<Token[]> options = ignoredOptions(p.tokens(), target);
                int covered = options.stream()
                        .mapToInt(o -> s.tokens.indexOf(o[1]) - s.tokens.indexOf(o[0]) + 1)
                        .sum();
                if (covered == p.tokens().size()) {
                    removeListItem(s, edits, p.tokens());
                } else {
                    options.forEach(o -> edits.remove(o[0], o[1]));
                    kept++;
                }
                options.forEach(o -> changes.add("removed table option TiDB ignores: " + text(s, List.of(o))));
            } else {
                kept++;
            }
        }
        if (s.kind == DdlKind.CREATE_TABLE) {
            for (Token[] o : ignoredOptions(s.tableOptions, target)) {
                edits.remove(o[0], o[1]);
                changes.add("removed table option TiDB ignores: " + text(s, List.of(o)));
            }
        } else if (s.kind == DdlKind.ALTER_TABLE && kept == 0 && !s.parts.isEmpty()) {
            return new Translation(null, changes);
        }
        return new Translation(edits.apply(), changes);
    }

    /** {@code NAME [=] value} option ranges (first and last token) whose name the target ignores. */
    private static List<Token[]> ignoredOptions(List<Token> tokens, Dialect target) {
        List<Token[]> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.type() == SqlLexer.Type.WORD && target.ignoredTableOptions().contains(t.upper())) {
                int j = i + 1;
                if (j < tokens.size() && tokens.get(j).isSymbol("=")) {
                    j++;
                }
                if (j < tokens.size()) {
                    out.add(new Token[] {t, tokens.get(j)});
                    i = j;
                }
            }
        }
        return out;
    }

    /** Removes a comma-separated item (a table element or an ALTER specification) with one of its commas. */
    private static void removeListItem(DdlStatement s, TextEdits edits, List<Token> item) {
        int first = s.tokens.indexOf(item.get(0));
        int last = s.tokens.indexOf(item.get(item.size() - 1));
        if (first > 0 && s.tokens.get(first - 1).is("ADD")) {
            first--; // ALTER TABLE ... ADD FULLTEXT ...: the whole specification goes
            item = s.tokens.subList(first, last + 1);
        }
        if (first > 0 && s.tokens.get(first - 1).isSymbol(",")) {
            edits.remove(s.tokens.get(first - 1), item.get(item.size() - 1));
        } else if (last + 1 < s.tokens.size() && s.tokens.get(last + 1).isSymbol(",")) {
            edits.remove(item.get(0), s.tokens.get(last + 1));
        } else {
            edits.remove(item.get(0), item.get(item.size() - 1));
        }
    }

    private static String text(DdlStatement s, List<Token> tokens) {
        return s.sql.substring(
                tokens.get(0).start(), tokens.get(tokens.size() - 1).end());
    }
}
