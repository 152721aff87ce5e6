package io.fksafe.smt;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

import io.fksafe.change.ChangeRecord;
import io.fksafe.change.Op;

/**
 * Every field of a change record as plain values, so one assertEquals checks them all, Java types included
 * (an INT32 key must stay an Integer, an INT64 a Long).
 */
record ExpectedChange(
        Op op,
        String db,
        String table,
        Map<String, Object> key,
        Map<String, Object> oldKey,
        Map<String, Object> row,
        String position,
        String txId,
        Long txEventCount,
        boolean safe,
        String ddl) {

    static ExpectedChange of(ChangeRecord c) {
        return new ExpectedChange(
                c.op(),
                c.database(),
                c.table(),
                map(c.key()),
                map(c.oldKey()),
                map(c.row()),
                c.position() == null ? null : c.position().format(),
                c.txId(),
                c.txEventCount(),
                c.safe(),
                c.ddl());
    }

    static ExpectedChange row(
            Op op,
            String table,
            Map<String, Object> key,
            Map<String, Object> oldKey,
            Map<String, Object> row,
            String position,
            String txId) {
        return new ExpectedChange(op, "shop", table, key, oldKey, row, position, txId, null, false, null);
    }

    static ExpectedChange marker(Op op, String txId, Long eventCount) {
        return new ExpectedChange(op, null, null, null, null, null, null, txId, eventCount, false, null);
    }

    ExpectedChange safe(boolean safe) {
        return new ExpectedChange(op, db, table, key, oldKey, row, position, txId, txEventCount, safe, ddl);
    }

    static Map<String, Object> map(Struct s) {
        if (s == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (Field f : s.schema().fields()) {
            Object v = s.get(f);
            m.put(f.name(), v instanceof Struct nested ? map(nested) : v);
        }
        return m;
    }

    /** An ordered map for readable expectations: {@code fields("id", 3, "name", "c")}. */
    static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
