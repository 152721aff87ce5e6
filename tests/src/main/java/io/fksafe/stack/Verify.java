package io.fksafe.stack;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Source against target, table by table: row count, a checksum over every column of every row, and the target's FK
 * orphans (child rows whose parent row is missing, as if FK checks had been off). The checksum is
 * {@code SUM(CRC32(CONCAT_WS('|', HEX(CAST(col AS BINARY)) ...)))}: order-free, exact for every type, and the same
 * SQL on MariaDB, MySQL and TiDB.
 */
public final class Verify {

    private static final Set<String> SYSTEM = Set.of("information_schema", "mysql", "performance_schema", "sys");

    /** One table's comparison; counts and checksums are null where the table does not exist on that side. */
    public record Row(String table, Long sourceRows, Long targetRows, String sourceSum, String targetSum, long orphans) {
        public boolean ok() {
            return sourceRows != null && sourceRows.equals(targetRows) && sourceSum.equals(targetSum) && orphans == 0;
        }
    }

    private Verify() {
    }

    /**
     * @param database     one database, or null for every user database of either side
     * @param excludeOnTarget databases that exist only on the target by design (the sink's checkpoint database)
     */
    public static List<Row> compare(Db source, Db target, String database, Set<String> excludeOnTarget) {
        Set<String> tables = new TreeSet<>();
        tables.addAll(tables(source, database, Set.of()));
        tables.addAll(tables(target, database, excludeOnTarget));
        Map<String, Long> orphans = orphans(target, database, excludeOnTarget);
        List<Row> out = new ArrayList<>();
        for (String t : tables) {
            String[] s = sum(source, t);
            String[] g = sum(target, t);
            out.add(new Row(t, s == null ? null : Long.valueOf(s[0]), g == null ? null : Long.valueOf(g[0]),
                    s == null ? null : s[1], g == null ? null : g[1], orphans.getOrDefault(t, 0L)));
        }
        return out;
    }

    /** Prints the comparison; returns true when every table matches and nothing is orphaned. */
    public static boolean print(List<Row> rows, PrintStream out) {
        List<List<String>> cells = new ArrayList<>();
        boolean all = !rows.isEmpty();
        for (Row r : rows) {
            cells.add(List.of(r.table(), text(r.sourceRows()), text(r.targetRows()), text(r.sourceSum()),
                    text(r.targetSum()), Long.toString(r.orphans()), r.ok() ? "ok" : "DIFFERS"));
            all &= r.ok();
        }
        TextTable.draw(List.of("table", "source rows", "target rows", "source checksum", "target checksum", "FK orphans",
                "status"), cells).forEach(out::println);
        out.println(rows.isEmpty() ? "verify: no tables to compare"
                : all ? "verify: source == target (" + rows.size() + " tables)" : "verify: DIFFERENT");
        return all;
    }

    private static String text(Object o) {
        return o == null ? "(missing)" : o.toString();
    }

    private static Set<String> tables(Db db, String database, Set<String> exclude) {
        Set<String> out = new TreeSet<>();
        String where = database != null ? "TABLE_SCHEMA = '" + database.replace("'", "''") + "'" : "1=1";
        for (List<String> r : db.query("SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND "
                + where)) {
            if (!SYSTEM.contains(r.get(0).toLowerCase()) && !exclude.contains(r.get(0))) {
                out.add(r.get(0) + "." + r.get(1));
            }
        }
        return out;
    }

    /** {count, checksum}, or null when the table is missing. */
    private static String[] sum(Db db, String table) {
        String[] t = table.split("\\.", 2);
        List<List<String>> cols = db.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"
                + t[0] + "' AND TABLE_NAME = '" + t[1] + "' ORDER BY ORDINAL_POSITION");
        if (cols.isEmpty()) {
            return null;
        }
        StringBuilder row = new StringBuilder("CONCAT_WS('|'");
        for (List<String> c : cols) {
            row.append(", IFNULL(HEX(CAST(`").append(c.get(0)).append("` AS BINARY)), 'N')");
        }
        row.append(')');
        List<String> r = db.query("SELECT COUNT(*), COALESCE(SUM(CRC32(" + row + ")), 0) FROM " + quote(t)).get(0);
        return new String[] {r.get(0), r.get(1)};
    }

    /** Orphaned child rows per child table in the target, over every FK of the compared databases. */
    private static Map<String, Long> orphans(Db target, String database, Set<String> exclude) {
        String where = database != null ? "k.TABLE_SCHEMA = '" + database.replace("'", "''") + "'" : "1=1";
        Map<String, List<List<String>>> fks = new LinkedHashMap<>();
        for (List<String> r : target.query("SELECT k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, "
                + "k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME "
                + "FROM information_schema.KEY_COLUMN_USAGE k WHERE k.REFERENCED_TABLE_NAME IS NOT NULL AND " + where
                + " ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION")) {
            if (!SYSTEM.contains(r.get(0).toLowerCase()) && !exclude.contains(r.get(0))) {
                fks.computeIfAbsent(r.get(0) + "." + r.get(1) + "." + r.get(2), k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (List<List<String>> fk : fks.values()) {
            List<String> first = fk.get(0);
            StringBuilder notNull = new StringBuilder();
            StringBuilder match = new StringBuilder();
            for (List<String> col : fk) {
                notNull.append(" AND c.`").append(col.get(3)).append("` IS NOT NULL");
                match.append(match.length() == 0 ? "" : " AND ").append("p.`").append(col.get(6)).append("` = c.`")
                        .append(col.get(3)).append('`');
            }
            long n = target.count("SELECT COUNT(*) FROM " + quote(first.get(0), first.get(1)) + " c WHERE 1=1" + notNull
                    + " AND NOT EXISTS (SELECT 1 FROM " + quote(first.get(4), first.get(5)) + " p WHERE " + match + ")");
            out.merge(first.get(0) + "." + first.get(1), n, Long::sum);
        }
        return out;
    }

    private static String quote(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            b.append(b.length() == 0 ? "" : ".").append('`').append(p.replace("`", "``")).append('`');
        }
        return b.toString();
    }
}
