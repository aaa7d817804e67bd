package io.roost.bench.failover;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Asks a server on 127.0.0.1 for {@code srvr}, the four-letter word Roost and ZooKeeper both
 * answer, and reads its mode and last zxid. Every call is bounded by {@link #TIMEOUT_MS}.
 */
public final class ServerProbe {
  /** The longest a connect or a read may take. */
  static final int TIMEOUT_MS = 1_000;
  /** The mode reported for ZooKeeper's "This ZooKeeper instance is not currently serving requests". */
  static final String NOT_SERVING = "not serving";
  private static final int MAX_ANSWER_BYTES = 64 * 1024;

  private ServerProbe() {}

  /**
   * A server's {@code srvr} answer.
   *
   * @param mode {@code leader}, {@code follower}, {@code observer}, {@code standalone},
   *     {@code looking}, or {@link #NOT_SERVING}
   * @param zxid the last zxid it reports, or -1 when it reports none
   */
  record Srvr(String mode, long zxid) {
    /** True when the server says it leads. */
    boolean leading() {
      return mode.equals("leader");
    }

    /** True when the server says it follows or observes a leader. */
    boolean following() {
      return mode.equals("follower") || mode.equals("observer");
    }
  }

  /** Server {@code port}'s {@code srvr}, or empty when nothing answers (down, refused, timeout). */
  static Optional<Srvr> srvr(int port) {
    try {
      return Optional.of(parseSrvr(ask(port, "srvr")));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Reads a {@code srvr} answer.
   *
   * @throws IllegalArgumentException if it has neither a Mode line nor ZooKeeper's not-serving
   *     sentence (for example when srvr is not whitelisted)
   */
  static Srvr parseSrvr(String text) {
    if (text.contains("not currently serving requests")) {
      return new Srvr(NOT_SERVING, -1);
    }
    String mode = null;
    long zxid = -1;
    for (String line : text.split("\n")) {
      if (line.startsWith("Mode: ")) {
        mode = line.substring("Mode: ".length()).strip().toLowerCase(Locale.ROOT);
      } else if (line.startsWith("Zxid: ")) {
        String hex = line.substring("Zxid: ".length()).strip();
        zxid = Long.parseUnsignedLong(hex.startsWith("0x") ? hex.substring(2) : hex, 16);
      }
    }
    if (mode == null) {
      throw new IllegalArgumentException("no Mode line in the srvr answer: " + text.strip());
    }
    return new Srvr(mode, zxid);
  }

  private static String ask(int port, String word) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
      s.setSoTimeout(TIMEOUT_MS);
      s.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      for (int n; (n = in.read(buf)) >= 0; ) {
        answer.write(buf, 0, n);
        if (answer.size() > MAX_ANSWER_BYTES) {
          throw new IOException("the " + word + " answer of port " + port + " is too long");
        }
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }
}
