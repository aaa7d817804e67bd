package io.roost.core.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConstantsTest {

    @Test
    void everyCodeLooksItselfUp() {
        for (Code c : Code.values()) {
            assertSame(c, Code.of(c.code()));
        }
        assertEquals(31, Code.values().length);
    }

    @Test
    void codeValuesMatchZooKeeper() {
        assertEquals(0, Code.OK.code());
        assertEquals(-6, Code.UNIMPLEMENTED.code());
        assertEquals(-101, Code.NO_NODE.code());
        assertEquals(-103, Code.BAD_VERSION.code());
        assertEquals(-110, Code.NODE_EXISTS.code());
        assertEquals(-112, Code.SESSION_EXPIRED.code());
        assertEquals(-115, Code.AUTH_FAILED.code());
        assertEquals(-121, Code.NO_WATCHER.code());
        assertEquals(-127, Code.THROTTLED_OP.code());
    }

    @Test
    void unknownCodeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Code.of(-9));
        assertTrue(e.getMessage().contains("-9"), e.getMessage());
    }

    @Test
    void createModesFromFlags() {
        for (CreateMode m : CreateMode.values()) {
            assertSame(m, CreateMode.fromFlag(m.flag()));
        }
        assertEquals(3, CreateMode.EPHEMERAL_SEQUENTIAL.flag());
        assertTrue(CreateMode.EPHEMERAL_SEQUENTIAL.isEphemeral());
        assertTrue(CreateMode.EPHEMERAL_SEQUENTIAL.isSequential());
        assertFalse(CreateMode.PERSISTENT.isEphemeral());
        assertFalse(CreateMode.PERSISTENT.isSequential());
        assertTrue(CreateMode.CONTAINER.isContainer());
        assertFalse(CreateMode.CONTAINER.isTtl());
        assertTrue(CreateMode.PERSISTENT_WITH_TTL.isTtl());
        assertTrue(CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL.isTtl());
        assertTrue(CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL.isSequential());
        assertFalse(CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL.isEphemeral());
    }

    @Test
    void unknownCreateFlagIsRejectedWithTheFlag() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CreateMode.fromFlag(7)).getMessage().contains("7"));
        assertThrows(IllegalArgumentException.class, () -> CreateMode.fromFlag(-1));
    }

    @Test
    void opCodeNames() {
        assertEquals("create", OpCode.name(OpCode.create));
        assertEquals("getData", OpCode.name(4));
        assertEquals("getChildren2", OpCode.name(12));
        assertEquals("closeSession", OpCode.name(-11));
        assertEquals("whoAmI", OpCode.name(107));
        assertEquals("unknown(999)", OpCode.name(999));
    }

    @Test
    void permsCombine() {
        assertEquals(31, Perms.ALL);
        assertEquals(Perms.ALL, Perms.READ | Perms.WRITE | Perms.CREATE | Perms.DELETE | Perms.ADMIN);
    }
}
