package io.fksafe.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

/** What the worker shows as the plugin's version (GET /connector-plugins) is the pom's version. */
class VersionTest {

    @Test
    void connectorAndTaskVersion_isThePomsVersion() {
        String pom = System.getProperty(
                "fksafe.project.version"); // set by the surefire configuration from ${project.version}
        assertNotNull(pom, "run through Maven: the pom passes its version to the tests");
        assertEquals(pom, new FkSafeSinkConnector().version());
        assertEquals(pom, new FkSafeSinkTask().version());
    }
}
