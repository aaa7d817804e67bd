package io.roost.recipes.discovery;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One instance of a service: where to reach it, and a small string map of metadata (zone,
 * version, weight, ...). Registered as the ephemeral node {@code <basePath>/<name>/<id>}, whose
 * data is the instance in a small text encoding (see {@link #encode()}).
 *
 * @param name the service's name: a node name
 * @param id this instance's id, unique within the service: a node name
 * @param address a host name or IP address (not empty)
 * @param port the port, 1-65535
 * @param metadata extra keys and values (kept sorted by key, unmodifiable; keys not empty)
 */
public record ServiceInstance(String name, String id, String address, int port,
    Map<String, String> metadata) {

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException naming the field that is wrong
   */
  public ServiceInstance {
    checkName(name, "name");
    checkName(id, "id");
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("address=\"" + address + "\" must not be empty");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port=" + port + " is not a port number (1-65535)");
    }
    Objects.requireNonNull(metadata, "metadata");
    SortedMap<String, String> copy = new TreeMap<>();
    metadata.forEach((k, v) -> {
      if (k == null || k.isEmpty() || v == null) {
        throw new IllegalArgumentException("metadata " + k + "=" + v
            + ": keys must be non-empty and values not null");
      }
      copy.put(k, v);
    });
    metadata = Collections.unmodifiableSortedMap(copy);
  }

  /** An instance without metadata. */
  public static ServiceInstance of(String name, String id, String address, int port) {
    return new ServiceInstance(name, id, address, port, Map.of());
  }

  /** The same instance with other metadata. */
  public ServiceInstance withMetadata(Map<String, String> metadata) {
    return new ServiceInstance(name, id, address, port, metadata);
  }

  /**
   * The node data for this instance: UTF-8 lines, a header {@code roost-service 1}, then
   * {@code address=...}, {@code port=...} and one {@code meta.<key>=<value>} per metadata entry
   * in key order, with {@code \}, newline, carriage return and {@code =} escaped by a backslash.
   * The same instance always gives the same bytes. Name and id are the node's path.
   */
  public byte[] encode() {
    return InstanceCodec.encode(this);
  }

  /**
   * The instance a node's data describes.
   *
   * @param name the service name (from the node's path)
   * @param id the instance id (the node's name)
   * @throws IllegalArgumentException if the data is not an encoded instance
   */
  public static ServiceInstance decode(String name, String id, byte[] data) {
    return InstanceCodec.decode(name, id, data);
  }

  static String checkName(String s, String what) {
    if (s == null || s.isEmpty() || s.equals(".") || s.equals("..")) {
      throw new IllegalArgumentException(what + "=\"" + s + "\" must be a non-empty node name"
          + " other than . and ..");
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '/' || Character.isISOControl(s.charAt(i))) {
        throw new IllegalArgumentException(what + "=\"" + s + "\" is not a node name: it has a"
            + " '/' or a control character at index " + i);
      }
    }
    return s;
  }
}
