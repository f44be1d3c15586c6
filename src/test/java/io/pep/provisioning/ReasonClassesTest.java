package io.pep.provisioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReasonClassesTest {

    private final ReasonClasses classes = new ReasonClasses("end-of-line-test, rma,board-swap,wrong-config");

    @Test
    void aReasonIsOfTheClassItsFirstWordNamesAnyCase() {
        assertEquals("rma", classes.of("rma: customer return"));
        assertEquals("rma", classes.of("  RMA customer return"));
        assertEquals("board-swap", classes.of("Board-Swap: U7 failed EOL"));
        assertEquals("end-of-line-test", classes.of("end-of-line-test"));
        assertEquals("other", classes.of("new main board after failed EOL test"));
        assertEquals("other", classes.of("rmaX: not the class rma"));
        assertEquals("other", classes.of("board: a prefix of a class is not the class"));
        assertEquals("other", classes.of("ü rma"));
        assertEquals(List.of("end-of-line-test", "rma", "board-swap", "wrong-config", "other"), classes.all());
        assertEquals(List.of("other"), new ReasonClasses("").all());
    }

    @Test
    void aClassNameThatCannotBeALabelValueStopsTheStart() {
        for (String bad : List.of("RMA", "rma,other", "two words", "-dash", "x".repeat(33))) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> new ReasonClasses(bad), bad);
            assertTrue(refused.getMessage().startsWith("pep.identities.reason-classes: "), refused.getMessage());
        }
    }
}
