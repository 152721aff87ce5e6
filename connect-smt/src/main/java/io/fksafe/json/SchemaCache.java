package io.fksafe.json;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;

/**
 * Connect schemas keyed by the exact bytes of an envelope's "schema" part. A record whose schema bytes start with
 * those of a recently seen schema is a hit without tokenizing the schema at all: a JSON object ends at its matching
 * brace, so identical leading bytes up to that brace are the identical object. Older schemas stay in an LRU map of
 * {@code schemas.cache.size} entries, found by hash once the schema's end is known.
 */
final class SchemaCache {

    /** A prefix comparison per candidate is cheap; topics of a task rarely interleave more schemas than this. */
    private static final int RECENT = 8;

    private final RecentEntries<Entry> recent = new RecentEntries<>(RECENT);
    private final Map<Entry, Entry> all;

    SchemaCache(int capacity) {
        all = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Entry, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The cached schema whose bytes begin at {@code from} in {@code data}, or null. */
    synchronized Entry matchPrefix(byte[] data, int from, int to) {
        for (int i = 0; i < RECENT; i++) {
            Entry e = recent.get(i);
            if (e == null) {
                return null;
            }
            int len = e.bytes.length;
            if (len <= to - from && Arrays.equals(data, from, from + len, e.bytes, 0, len)) {
                recent.promote(i, e);
                return e;
            }
        }
        return null;
    }

    /** The cached schema whose bytes are exactly {@code data[from, to)}, or null. */
    synchronized Entry lookup(byte[] data, int from, int to) {
        Entry e = all.get(new Entry(Arrays.copyOfRange(data, from, to), null));
        if (e != null) {
            recent.promote(RECENT - 1, e);
        }
        return e;
    }

    synchronized Entry put(byte[] data, int from, int to, Schema schema) {
        Entry e = new Entry(Arrays.copyOfRange(data, from, to), schema);
        all.put(e, e);
        recent.promote(RECENT - 1, e);
        return e;
    }

    static final class Entry {
        final byte[] bytes;
        final Schema schema;
        final FieldNames names;
        private final int hash;

        Entry(byte[] bytes, Schema schema) {
            this.bytes = bytes;
            this.schema = schema;
            this.names = schema == null ? FieldNames.NONE : FieldNames.of(schema);
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry && Arrays.equals(bytes, ((Entry) o).bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
