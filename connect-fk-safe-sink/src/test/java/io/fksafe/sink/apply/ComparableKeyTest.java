package io.fksafe.sink.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.math.BigInteger;

import org.junit.jupiter.api.Test;

/**
 * The packer lets a row pass another of its table only when their keys differ, so two keys the target sees as one row
 * must compare equal whatever Java type carries them; keys of different values must not.
 */
class ComparableKeyTest {

    private static Object key(Object... values) {
        return StatementPacker.comparableKey(values);
    }

    @Test
    void sameNumberIsOneKey_whateverItsType() {
        Object expected = key(1000L);
        for (Object v : new Object[] {
            1000,
            (short) 1000,
            1000L,
            BigInteger.valueOf(1000),
            new BigDecimal("1000"),
            new BigDecimal("1000.00"),
            new BigDecimal("1E+3")
        }) {
            assertEquals(expected, key(v), v.getClass().getSimpleName() + " " + v);
            assertEquals(expected.hashCode(), key(v).hashCode(), v.getClass().getSimpleName() + " " + v);
        }
        assertEquals(key(0L), key(new BigDecimal("0.000")));
        assertEquals(key(7L, new BigDecimal("2.50")), key(7, new BigDecimal("2.5")));
    }

    @Test
    void differentNumbersAreDifferentKeys() {
        assertNotEquals(key(1L), key(2L));
        assertNotEquals(key(new BigDecimal("2.5")), key(new BigDecimal("2.51")));
        assertNotEquals(key(new BigDecimal("2.5")), key(2L));
        BigInteger beyondLong = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);
        assertNotEquals(key(Long.MIN_VALUE), key(beyondLong));
        assertEquals(key(beyondLong), key(new BigDecimal(beyondLong).setScale(2)));
        assertNotEquals(key(1L, 2L), key(2L, 1L));
        assertNotEquals(key(1L), key(1L, 1L));
    }

    @Test
    void keysWithoutAnExactValueAreNotComparable() {
        assertNull(key("a"));
        assertNull(key(1L, "a"));
        assertNull(key(1.0d));
        assertNull(key(new byte[] {1}));
        assertNull(StatementPacker.comparableKey(null));
    }
}
