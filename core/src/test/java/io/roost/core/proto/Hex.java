package io.roost.core.proto;

import java.util.HexFormat;

/** Test helper: hand-written hex (spaces allowed) to bytes and back. */
final class Hex {

    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", "").replace("\n", ""));
    }

    static String of(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
