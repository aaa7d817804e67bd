package io.roost.core.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JuteIoTest {

    @Test
    void primitivesAreBigEndian() {
        JuteOutput out = new JuteOutput();
        out.writeInt(0x01020304);
        out.writeLong(0x0102030405060708L);
        out.writeBool(true);
        out.writeBool(false);
        out.writeInt(-2);
        assertEquals("01020304" + "0102030405060708" + "01" + "00" + "fffffffe", Hex.of(out.toByteArray()));
        assertEquals(4 + 8 + 1 + 1 + 4, out.size());

        JuteInput in = new JuteInput(out.toByteArray());
        assertEquals(0x01020304, in.readInt());
        assertEquals(0x0102030405060708L, in.readLong());
        assertTrue(in.readBool());
        assertFalse(in.readBool());
        assertEquals(-2, in.readInt());
        assertEquals(0, in.remaining());
        assertEquals(18, in.position());
    }

    @Test
    void negativeLongsKeepAllBits() {
        JuteOutput out = new JuteOutput();
        out.writeLong(0x80000000_7fffffffL);
        out.writeLong(-1L);
        assertEquals("800000007fffffff" + "ffffffffffffffff", Hex.of(out.toByteArray()));
        JuteInput in = new JuteInput(out.toByteArray());
        assertEquals(0x80000000_7fffffffL, in.readLong());
        assertEquals(-1L, in.readLong());
    }

    @Test
    void anyNonzeroByteIsTrue() {
        assertTrue(new JuteInput(new byte[] {(byte) 0x80}).readBool());
        assertTrue(new JuteInput(new byte[] {2}).readBool());
    }

    @Test
    void stringsAreUtf8WithByteLengthPrefix() {
        JuteOutput out = new JuteOutput();
        out.writeString("/é");
        assertEquals("00000003" + "2fc3a9", Hex.of(out.toByteArray()));
        assertEquals("/é", new JuteInput(out.toByteArray()).readString());
    }

    @Test
    void nullBufferStringAndVectorAreMinusOne() {
        JuteOutput out = new JuteOutput();
        out.writeBuffer(null);
        out.writeString(null);
        out.writeStringVector(null);
        ACL.writeAclVector(out, null);
        assertEquals("ffffffff".repeat(4), Hex.of(out.toByteArray()));

        JuteInput in = new JuteInput(out.toByteArray());
        assertNull(in.readBuffer());
        assertNull(in.readString());
        assertNull(in.readStringVector());
        assertNull(ACL.readAclVector(in));
        assertEquals(0, in.remaining());
    }

    @Test
    void emptyValuesAreNotNull() {
        JuteOutput out = new JuteOutput();
        out.writeBuffer(new byte[0]);
        out.writeString("");
        out.writeStringVector(List.of());
        assertEquals("00000000".repeat(3), Hex.of(out.toByteArray()));
        JuteInput in = new JuteInput(out.toByteArray());
        assertArrayEquals(new byte[0], in.readBuffer());
        assertEquals("", in.readString());
        assertEquals(List.of(), in.readStringVector());
    }

    @Test
    void stringVectorLayout() {
        JuteOutput out = new JuteOutput();
        out.writeStringVector(List.of("a", "bc"));
        assertEquals("00000002" + "00000001" + "61" + "00000002" + "6263", Hex.of(out.toByteArray()));
        assertEquals(List.of("a", "bc"), new JuteInput(out.toByteArray()).readStringVector());
    }

    @Test
    void outputGrowsPastItsInitialCapacity() {
        byte[] big = new byte[10_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        JuteOutput out = new JuteOutput();
        for (int i = 0; i < 100; i++) {
            out.writeInt(i);
        }
        out.writeBuffer(big);
        JuteInput in = new JuteInput(out.toByteArray());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, in.readInt());
        }
        assertArrayEquals(big, in.readBuffer());
        assertEquals(0, in.remaining());
    }

    @Test
    void framedOutputPrefixesTheBodyLength() {
        JuteOutput out = JuteOutput.framed();
        new ReplyHeader(-2, 5L, 0).write(out);
        assertEquals(4 + 16, out.size());
        byte[] frame = out.toFrame();
        assertEquals("00000010" + "fffffffe" + "0000000000000005" + "00000000", Hex.of(frame));
    }

    @Test
    void emptyFrameHasLengthZero() {
        assertEquals("00000000", Hex.of(JuteOutput.framed().toFrame()));
    }

    @Test
    void toFrameNeedsAFramedWriter() {
        assertThrows(IllegalStateException.class, () -> new JuteOutput().toFrame());
    }

    @Test
    void inputRespectsOffsetAndLength() {
        byte[] buf = Hex.bytes("ff 00000007 00000008 ff");
        JuteInput in = new JuteInput(buf, 1, 4);
        assertEquals(4, in.remaining());
        assertEquals(7, in.readInt());
        assertEquals(4, in.position());
        // Bytes past the range exist in the array but must not be readable.
        assertThrows(ProtocolException.class, in::readInt);
    }

    @Test
    void inputRejectsARangeOutsideTheArray() {
        assertThrows(IllegalArgumentException.class, () -> new JuteInput(new byte[4], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> new JuteInput(new byte[4], -1, 2));
    }

    @Test
    void truncatedPrimitivesThrowProtocolException() {
        assertThrows(ProtocolException.class, () -> new JuteInput(new byte[3]).readInt());
        assertThrows(ProtocolException.class, () -> new JuteInput(new byte[7]).readLong());
        assertThrows(ProtocolException.class, () -> new JuteInput(new byte[0]).readBool());
        assertThrows(ProtocolException.class, () -> new JuteInput(new byte[2]).readString());
    }

    @Test
    void truncatedLongConsumesNothing() {
        JuteInput in = new JuteInput(new byte[7]);
        assertThrows(ProtocolException.class, in::readLong);
        assertEquals(7, in.remaining());
    }

    @Test
    void stringLengthBeyondRemainingIsRejected() {
        JuteInput in = new JuteInput(Hex.bytes("0001869f" + "00".repeat(12)));
        ProtocolException e = assertThrows(ProtocolException.class, in::readString);
        assertEquals("string length 99999 exceeds remaining 12 bytes", e.getMessage());
    }

    @Test
    void bufferLengthBeyondRemainingIsRejected() {
        JuteInput in = new JuteInput(Hex.bytes("00000005 01020304"));
        ProtocolException e = assertThrows(ProtocolException.class, in::readBuffer);
        assertTrue(e.getMessage().contains("buffer length 5 exceeds remaining 4"), e.getMessage());
    }

    @Test
    void lengthExactlyRemainingIsAccepted() {
        assertArrayEquals(new byte[] {1, 2, 3, 4},
                new JuteInput(Hex.bytes("00000004 01020304")).readBuffer());
    }

    @Test
    void negativeLengthsOtherThanMinusOneAreRejected() {
        byte[] minusFive = Hex.bytes("fffffffb" + "00".repeat(8));
        ProtocolException e = assertThrows(ProtocolException.class, () -> new JuteInput(minusFive).readString());
        assertTrue(e.getMessage().contains("-5"), e.getMessage());
        assertThrows(ProtocolException.class, () -> new JuteInput(minusFive).readBuffer());
        assertThrows(ProtocolException.class, () -> new JuteInput(minusFive).readStringVector());
        assertThrows(ProtocolException.class, () -> ACL.readAclVector(new JuteInput(minusFive)));
    }

    @Test
    void vectorCountBeyondRemainingIsRejectedBeforeAllocating() {
        JuteInput strings = new JuteInput(Hex.bytes("7fffffff" + "00".repeat(8)));
        ProtocolException e = assertThrows(ProtocolException.class, strings::readStringVector);
        assertTrue(e.getMessage().contains("count 2147483647 exceeds remaining 8"), e.getMessage());

        // Three ACLs need at least 36 bytes; 24 are left.
        JuteInput acls = new JuteInput(Hex.bytes("00000003" + "00".repeat(24)));
        assertThrows(ProtocolException.class, () -> ACL.readAclVector(acls));
    }

    @Test
    void vectorWithTruncatedElementIsRejected() {
        // Count 2: "a" then a second string whose length int is cut short.
        JuteInput cut = new JuteInput(Hex.bytes("00000002 00000001 61 000000"));
        assertThrows(ProtocolException.class, cut::readStringVector);
    }

    @Test
    void readBufferReturnsACopy() {
        byte[] buf = "\0\0\0\3abc".getBytes(StandardCharsets.ISO_8859_1);
        byte[] read = new JuteInput(buf).readBuffer();
        buf[4] = 'z';
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), read);
    }
}
