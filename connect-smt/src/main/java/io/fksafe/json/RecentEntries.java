package io.fksafe.json;

/**
 * The few cache entries a task met last, most recent first: a converter checks them before any hashing, since a
 * task's records come from a handful of tables. Not thread-safe; the caches using it guard it as they need.
 */
final class RecentEntries<E> {

    private final Object[] items;

    RecentEntries(int size) {
        items = new Object[size];
    }

    int size() {
        return items.length;
    }

    /** The entry at {@code i} (0 is the most recent), or null past the last one. */
    @SuppressWarnings("unchecked")
    E get(int i) {
        return (E) items[i];
    }

    /** Moves {@code e} to the front; if it is not in the list, what sat at {@code index} drops out. */
    void promote(int index, E e) {
        int at = index;
        for (int i = 0; i < items.length; i++) {
            if (items[i] == e) {
                at = i;
                break;
            }
        }
        System.arraycopy(items, 0, items, 1, at);
        items[0] = e;
    }
}
