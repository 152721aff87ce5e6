package io.fksafe.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fksafe.stack.Db;

/**
 * Source against target, column by column, computed on the servers: every value as the bytes the server holds
 * ({@code HEX(CAST(col AS BINARY))}, {@code NULL} apart), and every column's definition. Differences come back as
 * readable lines naming table, row and column.
 */
final class ColumnCompare {

    private ColumnCompare() {}

    static List<String> definitions(Db source, Db target, String db) {
        String sql = "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, CHARACTER_SET_NAME, "
                + "COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + db + "' "
                + "ORDER BY TABLE_NAME, ORDINAL_POSITION";
        List<List<String>> s = source.query(sql);
        List<List<String>> t = target.query(sql);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.max(s.size(), t.size()); i++) {
            List<String> a = i < s.size() ? s.get(i) : null;
            List<String> b = i < t.size() ? t.get(i) : null;
            if (!Objects.equals(a, b)) {
                out.add("column definition: source " + a + ", target " + b);
            }
        }
        return out;
    }

    static List<String> values(Db source, Db target, String db) {
        List<String> out = new ArrayList<>();
        for (List<String> table : source.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                + db + "' ORDER BY TABLE_NAME")) {
            String name = table.get(0);
            List<String> cols = source
                    .query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + db
                            + "' AND TABLE_NAME = '" + name + "' ORDER BY ORDINAL_POSITION")
                    .stream()
                    .map(r -> r.get(0))
                    .toList();
            StringBuilder select = new StringBuilder("SELECT CAST(`" + cols.get(0) + "` AS CHAR)");
            for (String c : cols) {
                select.append(", IF(`")
                        .append(c)
                        .append("` IS NULL, 'NULL', HEX(CAST(`")
                        .append(c)
                        .append("` AS BINARY)))");
            }
            select.append(" FROM `").append(db).append("`.`").append(name).append("` ORDER BY 1");
            Map<String, List<String>> s = byKey(source, select.toString());
            Map<String, List<String>> t = byKey(target, select.toString());
            for (String key : union(s, t)) {
                List<String> a = s.get(key);
                List<String> b = t.get(key);
                if (a == null || b == null) {
                    out.add(db + "." + name + " " + cols.get(0) + "=" + key + ": row "
                            + (a == null ? "only in the target" : "missing in the target"));
                    continue;
                }
                for (int i = 0; i < cols.size(); i++) {
                    if (!a.get(i).equals(b.get(i))) {
                        out.add(db + "." + name + " " + cols.get(0) + "=" + key + " column " + cols.get(i) + ": source "
                                + shorten(a.get(i)) + ", target " + shorten(b.get(i)));
                    }
                }
            }
        }
        return out;
    }

    private static Map<String, List<String>> byKey(Db db, String select) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (List<String> r : db.results(List.of("SET SESSION time_zone = '+00:00'", select))
                .get(0)
                .rows()) {
            out.put(r.get(0), r.subList(1, r.size()));
        }
        return out;
    }

    private static List<String> union(Map<String, ?> a, Map<String, ?> b) {
        List<String> keys = new ArrayList<>(a.keySet());
        b.keySet().stream().filter(k -> !a.containsKey(k)).forEach(keys::add);
        return keys;
    }

    private static String shorten(String hex) {
        return hex.length() > 80 ? hex.substring(0, 80) + "... (" + hex.length() / 2 + " bytes)" : hex;
    }
}
