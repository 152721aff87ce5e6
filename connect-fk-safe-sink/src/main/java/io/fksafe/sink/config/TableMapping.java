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

    private static final int MAX_REMEMBERED = 4096;

    private final Map<String, TableId> exact = new HashMap<>();
    private final Map<String, String> databases = new HashMap<>();
    /**
     * Answers given, by the source names as they came: target() runs per record, and each lookup would concatenate,
     * lower-case and hash the names and build a TableId again. Cleared past {@value #MAX_REMEMBERED} tables.
     */
    private final Map<String, Map<String, TableId>> answers = new HashMap<>();

    private int remembered;

    private TableMapping() {}

    public static TableMapping parse(List<String> entries) {
        TableMapping m = new TableMapping();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException(
                        "'" + entry
                                + "' is not 'source=target'; write e.g. 'shop.orders=shop_copy.orders' or 'shop.*=shop_copy.*'");
            }
            String[] src = split(entry.substring(0, eq).trim(), entry);
            String[] dst = split(entry.substring(eq + 1).trim(), entry);
            boolean srcWild = "*".equals(src[1]);
            boolean dstWild = "*".equals(dst[1]);
            if (srcWild != dstWild) {
                throw new IllegalArgumentException(
                        "'" + entry + "' maps a table to a database wildcard; use 'db.*=db2.*' or 'db.t=db2.t2'");
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
        synchronized (answers) {
            Map<String, TableId> byTable = answers.get(sourceDb);
            TableId t = byTable == null ? null : byTable.get(sourceTable);
            if (t == null) {
                if (++remembered > MAX_REMEMBERED) {
                    answers.clear();
                    remembered = 1;
                }
                t = lookUp(sourceDb, sourceTable);
                answers.computeIfAbsent(sourceDb, d -> new HashMap<>()).put(sourceTable, t);
            }
            return t;
        }
    }

    private TableId lookUp(String sourceDb, String sourceTable) {
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
