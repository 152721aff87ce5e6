package io.fksafe.sink.apply;

/** Names of the safe-mode resolutions, as counted by {@link ApplyStats} and printed in logs. */
public final class Resolution {

    private Resolution() {}

    /**
     * A replayed child whose parent the target no longer has, while the target already holds the child itself: the
     * target's copy is from later upstream (its parent may have been re-keyed, not deleted), so it is kept as is.
     */
    public static final String KEPT_NEWER_ROW = "kept-newer-row-of-missing-parent";
    /** A replayed child, absent from the target, whose parent the target no longer has, under ON DELETE CASCADE: it was cascade-deleted later. */
    public static final String SKIPPED_CHILD_OF_CASCADE = "skipped-child-of-deleted-cascade-parent";
    /** The same under RESTRICT / NO ACTION: a later change re-points or deletes the child. */
    public static final String SKIPPED_CHILD_OF_RESTRICT = "skipped-child-of-deleted-restrict-parent";
    /** The same under SET NULL: applied with the FK columns NULL, as the source's later delete left it. */
    public static final String NULLED_SET_NULL_FK = "applied-with-set-null-fk";
    /** A replayed parent delete that the target's newer children block (1451): the parent is kept, so are they. */
    public static final String KEPT_PARENT_WITH_CHILDREN = "kept-parent-with-newer-children";
    /** A replayed key change whose old row is gone: the new image is upserted. */
    public static final String KEY_UPDATE_AS_UPSERT = "key-update-of-missing-row-upserted";
    /** A replayed key change whose new key is already there: merged into that newer row, children moved by rule. */
    public static final String KEY_UPDATE_MERGED_INTO_NEWER_ROW = "key-update-merged-into-newer-row";
    /** Replayed children that would duplicate children already under the new key: the replayed copies are dropped. */
    public static final String DROPPED_REPLAYED_CHILDREN = "dropped-replayed-children-duplicating-newer-rows";
    /** A replayed row whose unique key another, newer row holds. */
    public static final String SKIPPED_DUPLICATE_UNIQUE = "skipped-duplicate-unique-key";

    /** Every kind, so metrics can show each at zero before it first happens. */
    public static final java.util.List<String> ALL = java.util.List.of(
            KEPT_NEWER_ROW,
            SKIPPED_CHILD_OF_CASCADE,
            SKIPPED_CHILD_OF_RESTRICT,
            NULLED_SET_NULL_FK,
            KEPT_PARENT_WITH_CHILDREN,
            KEY_UPDATE_AS_UPSERT,
            KEY_UPDATE_MERGED_INTO_NEWER_ROW,
            DROPPED_REPLAYED_CHILDREN,
            SKIPPED_DUPLICATE_UNIQUE);
}
