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
    public record Row(
            String table, Long sourceRows, Long targetRows, String sourceSum, String targetSum, long orphans) {
        public boolean ok() {
            return sourceRows != null && sourceRows.equals(targetRows) && sourceSum.equals(targetSum) && orphans == 0;
        }
    }

    private Verify() {}

    /**
     * @param database     one database, or null for every user database of either side
     * @param excludeOnTarget databases that exist only on the target by design (the sink's checkpoint database)
     */
    public static List<Row> compare(Db source, Db target, String database, Set<String> excludeOnTarget) {
        List<Row> out = new ArrayList<>();
        Set<String> onSource = databases(source, database, Set.of());
        Set<String> onTarget = databases(target, database, excludeOnTarget);
        Set<String> dbs = new TreeSet<>(onSource);
        dbs.addAll(onTarget);
        if (database != null && dbs.isEmpty()) {
            dbs.add(database); // named but on neither side: reported, not silently "equal"
        }
        for (String d : dbs) {
            if (!onSource.contains(d) || !onTarget.contains(d)) {
                out.add(new Row(
                        d + " (database)",
                        onSource.contains(d) ? 0L : null,
                        onTarget.contains(d) ? 0L : null,
                        onSource.contains(d) ? "" : null,
                        onTarget.contains(d) ? "" : null,
                        0));
            }
        }
        Set<Table> tables = new TreeSet<>();
        tables.addAll(tables(source, database, Set.of()));
        tables.addAll(tables(target, database, excludeOnTarget));
        Map<Table, Long> orphans = orphans(target, database, excludeOnTarget);
        for (Table t : tables) {
            String[] s = sum(source, t);
            String[] g = sum(target, t);
            out.add(new Row(
                    t.toString(),
                    s == null ? null : Long.valueOf(s[0]),
                    g == null ? null : Long.valueOf(g[0]),
                    s == null ? null : s[1],
                    g == null ? null : g[1],
                    orphans.getOrDefault(t, 0L)));
        }
        return out;
    }

    /**
     * Prints the comparison; returns true when every table matches and nothing is orphaned. No tables on either side
     * (a database not written to yet) is a match.
     */
    public static boolean print(List<Row> rows, PrintStream out) {
        List<List<String>> cells = new ArrayList<>();
        boolean all = true;
        for (Row r : rows) {
            cells.add(List.of(
                    r.table(),
                    text(r.sourceRows()),
                    text(r.targetRows()),
                    text(r.sourceSum()),
                    text(r.targetSum()),
                    Long.toString(r.orphans()),
                    r.ok() ? "ok" : "DIFFERS"));
            all &= r.ok();
        }
        if (rows.isEmpty()) {
            out.println("verify: no tables on either side: source == target");
            return true;
        }
        TextTable.draw(
                        List.of(
                                "table",
                                "source rows",
                                "target rows",
                                "source checksum",
                                "target checksum",
                                "FK orphans",
                                "status"),
                        cells)
                .forEach(out::println);
        out.println(all ? "verify: source == target (" + rows.size() + " tables)" : "verify: DIFFERENT");
        return all;
    }

    private static String text(Object o) {
        return o == null ? "(missing)" : o.toString();
    }

    /** A table by database and name, whatever characters they contain; printed as {@code db.table}. */
    record Table(String db, String name) implements Comparable<Table> {
        @Override
        public int compareTo(Table o) {
            int c = db.compareTo(o.db);
            return c != 0 ? c : name.compareTo(o.name);
        }

        @Override
        public String toString() {
            return db + "." + name;
        }
    }

    private static boolean user(String db, Set<String> exclude) {
        return !SYSTEM.contains(db.toLowerCase(java.util.Locale.ROOT)) && !exclude.contains(db);
    }

    private static Set<String> databases(Db db, String database, Set<String> exclude) {
        Set<String> out = new TreeSet<>();
        String where = database != null ? " WHERE SCHEMA_NAME = " + literal(database) : "";
        for (List<String> r : db.query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA" + where)) {
            if (user(r.get(0), exclude)) {
                out.add(r.get(0));
            }
        }
        return out;
    }

    private static Set<Table> tables(Db db, String database, Set<String> exclude) {
        Set<Table> out = new TreeSet<>();
        String where = database != null ? "TABLE_SCHEMA = " + literal(database) : "1=1";
        for (List<String> r : db.query(
                "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND "
                        + where)) {
            if (user(r.get(0), exclude)) {
                out.add(new Table(r.get(0), r.get(1)));
            }
        }
        return out;
    }

    /** {count, checksum}, or null when the table is missing. */
    private static String[] sum(Db db, Table t) {
        List<List<String>> cols = db.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                + literal(t.db()) + " AND TABLE_NAME = " + literal(t.name()) + " ORDER BY ORDINAL_POSITION");
        if (cols.isEmpty()) {
            return null;
        }
        StringBuilder row = new StringBuilder("CONCAT_WS('|'");
        for (List<String> c : cols) {
            row.append(", IFNULL(HEX(CAST(").append(quote(c.get(0))).append(" AS BINARY)), 'N')");
        }
        row.append(')');
        List<String> r = db.query(
                        "SELECT COUNT(*), COALESCE(SUM(CRC32(" + row + ")), 0) FROM " + quote(t.db(), t.name()))
                .get(0);
        return new String[] {r.get(0), r.get(1)};
    }

    /** Orphaned child rows per child table in the target, over every FK of the compared databases. */
    private static Map<Table, Long> orphans(Db target, String database, Set<String> exclude) {
        String where = database != null ? "k.TABLE_SCHEMA = " + literal(database) : "1=1";
        Map<List<String>, List<List<String>>> fks = new LinkedHashMap<>();
        for (List<String> r : target.query("SELECT k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, "
                + "k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME "
                + "FROM information_schema.KEY_COLUMN_USAGE k WHERE k.REFERENCED_TABLE_NAME IS NOT NULL AND " + where
                + " ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION")) {
            if (user(r.get(0), exclude)) {
                fks.computeIfAbsent(r.subList(0, 3), k -> new ArrayList<>()).add(r);
            }
        }
        Map<Table, Long> out = new LinkedHashMap<>();
        for (List<List<String>> fk : fks.values()) {
            List<String> first = fk.get(0);
            StringBuilder notNull = new StringBuilder();
            StringBuilder match = new StringBuilder();
            for (List<String> col : fk) {
                notNull.append(" AND c.").append(quote(col.get(3))).append(" IS NOT NULL");
                match.append(match.length() == 0 ? "" : " AND ")
                        .append("p.")
                        .append(quote(col.get(6)))
                        .append(" = c.")
                        .append(quote(col.get(3)));
            }
            long n = target.count("SELECT COUNT(*) FROM " + quote(first.get(0), first.get(1)) + " c WHERE 1=1" + notNull
                    + " AND NOT EXISTS (SELECT 1 FROM " + quote(first.get(4), first.get(5)) + " p WHERE " + match
                    + ")");
            out.merge(new Table(first.get(0), first.get(1)), n, Long::sum);
        }
        return out;
    }

    /** A string literal for MariaDB/MySQL's default sql_mode (backslash escapes on). */
    static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    private static String quote(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            b.append(b.length() == 0 ? "" : ".")
                    .append('`')
                    .append(p.replace("`", "``"))
                    .append('`');
        }
        return b.toString();
    }
}
