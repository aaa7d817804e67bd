package io.roost.recipes.discovery;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text encoding of a {@link ServiceInstance}: deterministic (fixed field order, metadata in
 * key order), readable, and free of any dependency.
 */
final class InstanceCodec {
  static final String HEADER = "roost-service 1";
  private static final String META = "meta.";

  private InstanceCodec() {}

  static byte[] encode(ServiceInstance i) {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    line(b, "address", i.address());
    line(b, "port", Integer.toString(i.port()));
    i.metadata().forEach((k, v) -> line(b, META + k, v));
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void line(StringBuilder b, String key, String value) {
    escape(b, key);
    b.append('=');
    escape(b, value);
    b.append('\n');
  }

  private static void escape(StringBuilder b, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '=' -> b.append("\\=");
        default -> b.append(c);
      }
    }
  }

  static ServiceInstance decode(String name, String id, byte[] data) {
    String text = data == null ? "" : new String(data, StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);
    if (!lines[0].equals(HEADER)) {
      throw new IllegalArgumentException("not a service instance: the data does not start with \""
          + HEADER + "\"");
    }
    String address = null;
    Integer port = null;
    Map<String, String> meta = new TreeMap<>();
    for (int n = 1; n < lines.length; n++) {
      if (lines[n].isEmpty()) {
        continue;
      }
      String[] kv = split(lines[n], n);
      switch (kv[0]) {
        case "address" -> address = kv[1];
        case "port" -> port = parsePort(kv[1]);
        default -> {
          if (kv[0].startsWith(META)) {
            meta.put(kv[0].substring(META.length()), kv[1]);
          } // other keys: from a later version, ignored
        }
      }
    }
    if (address == null || port == null) {
      throw new IllegalArgumentException("not a service instance: address or port missing");
    }
    return new ServiceInstance(name, id, address, port, meta);
  }

  /** Splits a line at its first unescaped '=', unescaping both sides. */
  private static String[] split(String line, int n) {
    StringBuilder key = new StringBuilder();
    StringBuilder value = new StringBuilder();
    StringBuilder into = key;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        char e = line.charAt(++i);
        into.append(switch (e) {
          case 'n' -> '\n';
          case 'r' -> '\r';
          default -> e;
        });
      } else if (c == '=' && into == key) {
        into = value;
      } else {
        into.append(c);
      }
    }
    if (into == key) {
      throw new IllegalArgumentException("not a service instance: line " + (n + 1)
          + " has no '='");
    }
    return new String[] {key.toString(), value.toString()};
  }

  private static int parsePort(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a service instance: port \"" + s
          + "\" is not a number");
    }
  }
}
