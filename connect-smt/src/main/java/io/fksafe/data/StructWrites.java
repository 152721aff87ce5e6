package io.fksafe.data;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Stores a value in a Struct the way {@link Struct#put(Field, Object)} does, without its validation, for values this
 * plugin has just built to the field's own schema. Kafka validates every put, a nested Struct field by field again,
 * and builds an error-location string for each value it checks ({@code ConnectSchema.validateValue}): on the sink's
 * hot path a row's fields were checked three times (the converter's put, its envelope's, the transform's) and that
 * string was a fifth of the task thread's garbage. Where Kafka's Struct has no such slot (another version), every write
 * is a put, as before.
 */
public final class StructWrites {

    private static final VarHandle VALUES = find();

    private StructWrites() {}

    private static VarHandle find() {
        try {
            return MethodHandles.privateLookupIn(Struct.class, MethodHandles.lookup())
                    .findVarHandle(Struct.class, "values", Object[].class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * {@code s.put(f, v)} for a {@code v} that is valid for {@code f}'s schema (a nested Struct: of that schema and
     * complete) and an {@code f} of {@code s}'s schema; the caller guarantees both. Returns {@code s}.
     */
    public static Struct putBuilt(Struct s, Field f, Object v) {
        if (VALUES == null) {
            return s.put(f, v);
        }
        ((Object[]) VALUES.get(s))[f.index()] = v;
        return s;
    }

    /** Whether writes skip the validation here (tests assert it, so a Kafka upgrade that removes the slot shows). */
    public static boolean direct() {
        return VALUES != null;
    }
}
