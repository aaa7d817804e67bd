package io.roost.recipes.atomic;

import io.roost.client.RoostClient;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * An int shared by every client through one node (4 bytes, big-endian, as Curator's
 * {@code SharedCount} stores it), with compare-and-set on the node's version and change
 * listeners. A thin layer over {@link SharedValue}, whose documentation says how it follows
 * changes and behaves on SUSPENDED and LOST. For a counter many clients add to, prefer
 * {@link DistributedAtomicLong}, which retries for you.
 */
public final class SharedCount implements AutoCloseable {
  private final SharedValue shared;
  private final Map<Consumer<VersionedValue<Integer>>, Consumer<VersionedValue<byte[]>>>
      listeners = new ConcurrentHashMap<>();

  /**
   * A shared count at {@code path}, created with {@code seed} by {@link #start()} if missing.
   *
   * @throws IllegalArgumentException if {@code client} is null or {@code path} is not an
   *     absolute path other than {@code /}
   */
  public SharedCount(RoostClient client, String path, int seed) {
    this.shared = new SharedValue(client, path, encode(seed));
  }

  /** Creates the node with the seed if missing, reads it and starts watching. */
  public CompletionStage<Void> start() {
    return shared.start();
  }

  /**
   * The latest count seen by this client.
   *
   * @throws IllegalStateException before {@link #start()} has completed, or if the node does
   *     not hold 4 bytes
   */
  public int getCount() {
    return getVersionedValue().value();
  }

  /**
   * The latest count seen by this client, with the version to pass to {@link #trySetCount}.
   *
   * @throws IllegalStateException before {@link #start()} has completed, or if the node does
   *     not hold 4 bytes
   */
  public VersionedValue<Integer> getVersionedValue() {
    return decode(shared.value());
  }

  /** Sets the count whatever it is now. */
  public CompletionStage<Void> setCount(int count) {
    return shared.setValue(encode(count));
  }

  /**
   * Sets the count only if the node is still at {@code expected}'s version; the stage says
   * whether it was.
   *
   * @throws IllegalArgumentException if {@code expected} is null
   */
  public CompletionStage<Boolean> trySetCount(VersionedValue<Integer> expected, int count) {
    if (expected == null) {
      throw new IllegalArgumentException("expected is null: pass getVersionedValue() as read");
    }
    return shared.trySetValue(new VersionedValue<>(expected.version(), encode(
        expected.value())), encode(count));
  }

  /** Tells {@code listener} of every newer count seen from now on. */
  public void addListener(Consumer<VersionedValue<Integer>> listener) {
    if (listener == null) {
      throw new IllegalArgumentException("listener is null");
    }
    Consumer<VersionedValue<byte[]>> adapter = v -> listener.accept(decode(v));
    listeners.put(listener, adapter);
    shared.addListener(adapter);
  }

  /** Stops telling {@code listener}. */
  public void removeListener(Consumer<VersionedValue<Integer>> listener) {
    Consumer<VersionedValue<byte[]>> adapter = listeners.remove(listener);
    if (adapter != null) {
      shared.removeListener(adapter);
    }
  }

  /** Stops watching and telling listeners; the node stays. */
  @Override
  public void close() {
    shared.close();
  }

  private static byte[] encode(int count) {
    return ByteBuffer.allocate(4).putInt(count).array();
  }

  private VersionedValue<Integer> decode(VersionedValue<byte[]> v) {
    if (v.value().length != 4) {
      throw new IllegalStateException("node " + shared.path() + " holds " + v.value().length
          + " bytes, not a count (4 bytes, big-endian)");
    }
    return new VersionedValue<>(v.version(), ByteBuffer.wrap(v.value()).getInt());
  }

  @Override
  public String toString() {
    return "SharedCount{" + shared.path() + "}";
  }
}
