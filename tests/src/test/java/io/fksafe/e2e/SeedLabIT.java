package io.fksafe.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.fksafe.stack.Pipeline;
import io.fksafe.stack.SeedLab;

/**
 * The DM safe-mode lab (docs/lab.md) end to end — what {@code ./fksafe lab} runs — on Debezium MariaDB, Kafka, the
 * fksafe sink from its plugin archive, and a target MariaDB with FKs enforced, all deployed through the REST API from
 * {@code config/}.
 */
class SeedLabIT {

    private static EmbeddedStack stack;
    private static Pipeline pipeline;

    @BeforeAll
    static void up() throws Exception {
        stack = EmbeddedStack.start("seedlab");
        pipeline = new Pipeline(stack);
        pipeline.deploy(Duration.ofMinutes(3));
    }

    @AfterAll
    static void down() {
        if (pipeline != null) {
            pipeline.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void seedLab_forcedSafeMode_step11_replayFromOffset0_sourceEqualsTargetAfterEveryStep() throws Exception {
        assertTrue(
                new SeedLab(stack, pipeline, System.out).run(),
                "the lab's verdict; its printout is in the test output");
    }
}
