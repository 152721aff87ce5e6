package io.fksafe.sink.testing;

import static io.fksafe.sink.testing.LabSchema.CHILD_CASCADE;
import static io.fksafe.sink.testing.LabSchema.CHILD_SETNULL;
import static io.fksafe.sink.testing.LabSchema.PARENT;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.fksafe.change.ChangeRecord;

/**
 * Runs random parent/child changes (inserts, updates, re-pointing, key changes, cascading deletes) on a real source
 * database and records what Debezium would emit for them (no cascaded rows), with or without transaction markers.
 */
public final class SourceWorkload {
    private final TestDatabase db;
    private final String src;
    private final Random rnd;
    private long nextParent = 1;
    private long nextChild = 1;

    public SourceWorkload(TestDatabase db, String src, Random rnd) {
        this.db = db;
        this.src = "`" + src + "`.";
        this.rnd = rnd;
    }

    /** {@code transactions} transactions of 1..{@code maxOps} changes, framed by markers or not. */
    public ChangeStream generate(int transactions, int maxOps, boolean markers) {
        return generate(new ChangeStream(), transactions, maxOps, markers);
    }

    public ChangeStream generate(ChangeStream s, int transactions, int maxOps, boolean markers) {
        for (int i = 0; i < transactions; i++) {
            List<String> sql = new ArrayList<>();
            List<ChangeRecord> changes = new ArrayList<>();
            int ops = 1 + rnd.nextInt(maxOps);
            for (int k = 0; k < ops; k++) {
                op(sql, changes);
            }
            if (!changes.isEmpty() && markers) {
                s.txWithMarkers(changes.toArray(ChangeRecord[]::new));
            } else if (!changes.isEmpty()) {
                s.tx(changes.toArray(ChangeRecord[]::new));
            }
        }
        return s;
    }

    private void op(List<String> sql, List<ChangeRecord> out) {
        List<Long> parents = ids("parent");
        int kind = parents.isEmpty() ? 0 : rnd.nextInt(10);
        switch (kind) {
            case 0, 1 -> {
                long id = nextParent++;
                run("INSERT INTO " + src + "parent VALUES (" + id + ", 'p" + id + "')");
                out.add(PARENT.insert(id, "p" + id));
            }
            case 2, 3 -> {
                TableDef child = rnd.nextBoolean() ? CHILD_CASCADE : CHILD_SETNULL;
                String table = child == CHILD_CASCADE ? "child_cascade" : "child_setnull";
                long id = nextChild++;
                long p = pick(parents);
                run("INSERT INTO " + src + table + " VALUES (" + id + ", " + p + ", 'c" + id + "')");
                out.add(child.insert(id, p, "c" + id));
            }
            case 4 -> {
                long p = pick(parents);
                String note = "p" + p + ":" + rnd.nextInt(1000);
                run("UPDATE " + src + "parent SET note = '" + note + "' WHERE id = " + p);
                out.add(PARENT.update(p, note));
            }
            case 5 -> {
                List<Long> kids = ids("child_setnull");
                if (!kids.isEmpty()) {
                    long c = pick(kids);
                    long p = pick(parents);
                    run("UPDATE " + src + "child_setnull SET parent_id = " + p + " WHERE id = " + c);
                    out.add(CHILD_SETNULL.update(c, p, payload("child_setnull", c)));
                }
            }
            case 6 -> {
                long p = pick(parents);
                run("DELETE FROM " + src + "parent WHERE id = " + p); // the source cascades; the binlog has only this
                out.add(PARENT.delete(p));
            }
            case 7 -> {
                List<Long> kids = ids("child_cascade");
                if (!kids.isEmpty()) {
                    long c = pick(kids);
                    run("DELETE FROM " + src + "child_cascade WHERE id = " + c);
                    out.add(CHILD_CASCADE.delete(c));
                }
            }
            default -> {
                long p = pick(parents);
                long id = nextParent++;
                String note = db.query("SELECT note FROM " + src + "parent WHERE id = " + p)
                        .get(0)
                        .get(0);
                run("UPDATE " + src + "parent SET id = " + id + " WHERE id = "
                        + p); // children follow ON UPDATE CASCADE
                out.add(PARENT.keyUpdate(new Object[] {p}, id, note));
            }
        }
    }

    private String payload(String table, long id) {
        return db.query("SELECT payload FROM " + src + table + " WHERE id = " + id)
                .get(0)
                .get(0);
    }

    private List<Long> ids(String table) {
        return db.query("SELECT id FROM " + src + table + " ORDER BY id").stream()
                .map(r -> Long.parseLong(r.get(0)))
                .toList();
    }

    private long pick(List<Long> ids) {
        return ids.get(rnd.nextInt(ids.size()));
    }

    private void run(String statement) {
        db.exec(statement);
    }
}
