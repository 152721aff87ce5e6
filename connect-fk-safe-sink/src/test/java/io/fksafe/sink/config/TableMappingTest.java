package io.fksafe.sink.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fksafe.sink.metadata.TableId;

/** target() runs per record and remembers its answers: they must be the answers it would give afresh. */
class TableMappingTest {

    @Test
    void rememberedAnswersAreTheAnswers_perSpellingOfTheSourceNames() {
        TableMapping m = TableMapping.parse(List.of("shop.*=replica.*", "shop.orders=archive.orders_v2"));
        for (int round = 0; round < 3; round++) {
            assertEquals(new TableId("archive", "orders_v2"), m.target("shop", "orders"));
            assertEquals(new TableId("archive", "orders_v2"), m.target("SHOP", "Orders"));
            assertEquals(new TableId("replica", "lines"), m.target("shop", "lines"));
            assertEquals(new TableId("replica", "Lines"), m.target("Shop", "Lines"));
            assertEquals(new TableId("other", "t"), m.target("other", "t"));
            assertEquals(new TableId("other", "T"), m.target("other", "T"));
        }
        assertSame(
                m.target("shop", "lines"),
                m.target(new String("shop"), new String("lines")),
                "equal names, one answer");
    }

    @Test
    void staysRightPastTheNumberOfTablesItRemembers() {
        TableMapping m = TableMapping.parse(List.of("a.*=b.*", "a.t7=c.x"));
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 10_000; i++) {
                TableId expected = i == 7 ? new TableId("c", "x") : new TableId("b", "t" + i);
                assertEquals(expected, m.target("a", "t" + i));
            }
        }
    }
}
