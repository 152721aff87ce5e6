package io.fksafe.change;

import org.apache.kafka.connect.data.Struct;

/**
 * The change records the transform wrote on this thread, by the Struct each went into. Connect runs a sink task's
 * transforms and its {@code put} on the task's own thread, so the sink can take the transform's record back instead of
 * decoding the Struct it was just encoded into (a fifth of the task thread's time in a drain). The Struct itself is
 * complete and of Kafka's own class, so any other reader, a later transform included, sees an ordinary record value.
 *
 * <p>A record is taken back only when the Struct still holds, by reference, every value the transform put into it
 * ({@link EnvelopeFields#holds}); a later transform that put anything else, copied the Struct or dropped it simply
 * leaves the sink to decode. Direct-mapped by identity hash: a collision forgets the older record, which then is
 * decoded too. Taking clears the slot, so the table holds records only between the transform and the sink, or until
 * overwritten when nothing takes them (the transform without this sink).
 */
final class HandOver {

    /** Four times Connect's default max.poll.records: a poll's records rarely meet in one slot. */
    private static final int SLOTS = 2048;

    private static final ThreadLocal<HandOver> MINE = ThreadLocal.withInitial(HandOver::new);

    private final Struct[] structs = new Struct[SLOTS];
    private final ChangeRecord[] records = new ChangeRecord[SLOTS];
    /** The position field's text as written: compared by reference like the other values. */
    private final String[] positions = new String[SLOTS];

    private HandOver() {}

    static void put(Struct s, ChangeRecord r, String position) {
        HandOver h = MINE.get();
        int i = slot(s);
        h.structs[i] = s;
        h.records[i] = r;
        h.positions[i] = position;
    }

    /** The record written into {@code s} on this thread, if {@code s} still holds what was written; else null. */
    static ChangeRecord take(Struct s, EnvelopeFields fields) {
        HandOver h = MINE.get();
        int i = slot(s);
        if (h.structs[i] != s) {
            return null;
        }
        ChangeRecord r = h.records[i];
        String position = h.positions[i];
        h.structs[i] = null;
        h.records[i] = null;
        h.positions[i] = null;
        return fields.holds(s, r, position) ? r : null;
    }

    /** For tests: whether a record written into {@code s} waits on this thread, without taking it. */
    static boolean waiting(Struct s) {
        return MINE.get().structs[slot(s)] == s;
    }

    /** Forgets this thread's records: a task that ends leaves nothing behind on a pooled thread. */
    static void clear() {
        MINE.remove();
    }

    private static int slot(Struct s) {
        int h = System.identityHashCode(s);
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}
