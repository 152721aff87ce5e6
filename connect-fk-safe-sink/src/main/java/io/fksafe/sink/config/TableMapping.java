package io.fksafe.sink.config;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.fksafe.sink.metadata.TableId;

/**
 * Maps a source {@code db.table} to a target table. Entries are {@code source=target} where either side is
 * {@code db.table} or {@code db.*}; exact entries win over database wildcards; unmapped tables keep their names.
 */
public final class TableMapping {

    private final Map<String, TableId> exact = new HashMap<>();
    private final Map<String, String> databases = new HashMap<>();

    private TableMapping() {
    }

    public static TableMapping parse(List<String> entries) {
        TableMapping m = new TableMapping();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("'" + entry + "' is not 'source=target'; write e.g. 'shop.orders=shop_copy.orders' or 'shop.*=shop_copy.*'");
            }
            String[] src = split(entry.substring(0, eq).trim(), entry);
            String[] dst = split(entry.substring(eq + 1).trim(), entry);
            boolean srcWild = "*".equals(src[1]);
            boolean dstWild = "*".equals(dst[1]);
            if (srcWild != dstWild) {
                throw new IllegalArgumentException("'" + entry + "' maps a table to a database wildcard; use 'db.*=db2.*' or 'db.t=db2.t2'");
            }
            if (srcWild) {
                m.databases.put(key(src[0]), dst[0]);
            } else {
                m.exact.put(key(src[0] + "." + src[1]), new TableId(dst[0], dst[1]));
            }
        }
        return m;
    }

    public TableId target(String sourceDb, String sourceTable) {
        TableId t = exact.get(key(sourceDb + "." + sourceTable));
        if (t != null) {
            return t;
        }
        String db = databases.get(key(sourceDb));
        return new TableId(db != null ? db : sourceDb, sourceTable);
    }

    /** The database a source database's tables go to by its {@code db.*} entry; its own name without one. */
    public String targetDatabase(String sourceDb) {
        String db = databases.get(key(sourceDb));
        return db != null ? db : sourceDb;
    }

    private static String[] split(String name, String entry) {
        int dot = name.indexOf('.');
        if (dot <= 0 || dot == name.length() - 1 || name.indexOf('.', dot + 1) >= 0) {
            throw new IllegalArgumentException("'" + name + "' in '" + entry + "' is not 'db.table' or 'db.*'");
        }
        return new String[] {name.substring(0, dot), name.substring(dot + 1)};
    }

    private static String key(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
