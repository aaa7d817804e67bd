package io.roost.core.proto;

/** Helpers for records that hold byte arrays: readable toString output without leaking secrets. */
final class Bytes {

    private static final int MAX_SHOWN = 32;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Bytes() {
    }

    /** Shows length and (up to 32 bytes of) hex content, e.g. {@code [3 bytes: 61 62 63]}. */
    static String hex(byte[] b) {
        if (b == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder().append('[').append(b.length).append(" bytes");
        int shown = Math.min(b.length, MAX_SHOWN);
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? ": " : " ").append(HEX[(b[i] >> 4) & 0xf]).append(HEX[b[i] & 0xf]);
        }
        if (shown < b.length) {
            sb.append(" ...");
        }
        return sb.append(']').toString();
    }

    /** Shows only the length, for passwords and credentials. */
    static String redacted(byte[] b) {
        return b == null ? "null" : "[" + b.length + " bytes, redacted]";
    }
}
