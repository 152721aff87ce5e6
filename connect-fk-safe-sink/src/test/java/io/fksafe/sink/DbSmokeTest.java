package io.fksafe.sink;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.fksafe.sink.testing.TestDatabase;

class DbSmokeTest {
    @Test
    void serverAnswers() {
        String v = TestDatabase.get().query("SELECT VERSION()").get(0).get(0);
        System.out.println("VERSION=" + v);
        assertTrue(v.contains("MariaDB"), v);
    }
}
