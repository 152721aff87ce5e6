package io.fksafe.sink;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fksafe.sink.testing.TestDatabase;
import org.junit.jupiter.api.Test;

class DbSmokeTest {
    @Test
    void serverAnswers() {
        String v = TestDatabase.get().query("SELECT VERSION()").get(0).get(0);
        System.out.println("VERSION=" + v);
        assertTrue(v.contains("MariaDB"), v);
    }
}
