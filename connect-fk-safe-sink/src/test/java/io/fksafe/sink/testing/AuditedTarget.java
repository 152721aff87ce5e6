package io.fksafe.sink.testing;

import java.util.List;

/**
 * A target database with the lab schema and triggers that log every row write to an {@code audit} table, so a change
 * applied twice is visible even where the end state could not show it. BEFORE triggers, because MariaDB fires no
 * AFTER UPDATE trigger when an upsert changes nothing — exactly the repeated write this log must catch.
 */
public final class AuditedTarget {

    private AuditedTarget() {}

    public static String create(TestDatabase db, String prefix) {
        String target = db.newDatabase(prefix);
        LabSchema.create(db, target);
        String t = "`" + target + "`.";
        db.exec("CREATE TABLE " + t + "audit (seq BIGINT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(60) NOT NULL)");
        for (String table : List.of("parent", "child_cascade", "child_setnull")) {
            for (String ev : List.of("INSERT", "UPDATE", "DELETE")) {
                String row = ev.equals("DELETE") ? "OLD" : "NEW";
                db.exec("CREATE TRIGGER " + t + "audit_" + table + "_" + ev.toLowerCase() + " BEFORE " + ev + " ON " + t
                        + table + " FOR EACH ROW INSERT INTO " + t + "audit(what) VALUES (CONCAT('" + table + " " + ev
                        + " ', " + row + ".id))");
            }
        }
        return target;
    }

    /**
     * The audit log without its sequence numbers, sorted: what was written, each write as often as it happened. Not in
     * order: statement packing reorders rows inside a target transaction, and which upstream transactions share one
     * depends on batching, faults and retries; what the audit proves is that every write happened exactly once.
     */
    public static List<String> writes(TestDatabase db, String target) {
        return db.query("SELECT what FROM `" + target + "`.audit ORDER BY what, seq").stream()
                .map(r -> r.get(0))
                .toList();
    }
}
