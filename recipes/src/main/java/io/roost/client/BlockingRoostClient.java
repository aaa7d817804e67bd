package io.roost.client;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Stat;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The blocking form of {@link RoostClient}, for plain threads: each call waits for its answer
 * and throws the {@link RoostException} the async call would have completed with. Calling it on
 * an event-loop thread throws {@link IllegalStateException} (it would block the loop, and on the
 * client's own loop it would wait forever).
 */
public final class BlockingRoostClient {
  private final RoostClient client;
  private final Duration timeout;

  BlockingRoostClient(RoostClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  /** The async client behind this facade. */
  public RoostClient async() {
    return client;
  }

  /** @see RoostClient#create(String, byte[]) */
  public String create(String path, byte[] data) {
    return await(client.create(path, data));
  }

  /** @see RoostClient#create(String, byte[], CreateOptions) */
  public String create(String path, byte[] data, CreateOptions options) {
    return await(client.create(path, data, options));
  }

  /** @see RoostClient#createIfAbsent(String, byte[], CreateOptions) */
  public boolean createIfAbsent(String path, byte[] data, CreateOptions options) {
    return await(client.createIfAbsent(path, data, options));
  }

  /** @see RoostClient#delete(String) */
  public void delete(String path) {
    await(client.delete(path));
  }

  /** @see RoostClient#delete(String, int) */
  public void delete(String path, int version) {
    await(client.delete(path, version));
  }

  /** @see RoostClient#deleteIfExists(String) */
  public boolean deleteIfExists(String path) {
    return await(client.deleteIfExists(path));
  }

  /** @see RoostClient#deleteRecursive(String) */
  public void deleteRecursive(String path) {
    await(client.deleteRecursive(path));
  }

  /** @see RoostClient#setData(String, byte[], int) */
  public Stat setData(String path, byte[] data, int version) {
    return await(client.setData(path, data, version));
  }

  /** @see RoostClient#exists(String) */
  public Stat exists(String path) {
    return await(client.exists(path));
  }

  /** @see RoostClient#exists(String, WatchListener) */
  public Stat exists(String path, WatchListener watch) {
    return await(client.exists(path, watch));
  }

  /** @see RoostClient#getData(String) */
  public NodeData getData(String path) {
    return await(client.getData(path));
  }

  /** @see RoostClient#getData(String, WatchListener) */
  public NodeData getData(String path, WatchListener watch) {
    return await(client.getData(path, watch));
  }

  /** @see RoostClient#getChildren(String) */
  public List<String> getChildren(String path) {
    return await(client.getChildren(path));
  }

  /** @see RoostClient#getChildren(String, WatchListener) */
  public List<String> getChildren(String path, WatchListener watch) {
    return await(client.getChildren(path, watch));
  }

  /** @see RoostClient#getAcl(String) */
  public List<ACL> getAcl(String path) {
    return await(client.getAcl(path));
  }

  /** @see RoostClient#setAcl(String, List, int) */
  public Stat setAcl(String path, List<ACL> acl, int version) {
    return await(client.setAcl(path, acl, version));
  }

  /** @see RoostClient#multi(List) */
  public List<OpResult> multi(List<Op> ops) {
    return await(client.multi(ops));
  }

  /** @see RoostClient#sync(String) */
  public void sync(String path) {
    await(client.sync(path));
  }

  /** @see RoostClient#addWatch(String, boolean, WatchListener) */
  public void addWatch(String path, boolean recursive, WatchListener watch) {
    await(client.addWatch(path, recursive, watch));
  }

  /** @see RoostClient#removeWatch(String, boolean, WatchListener) */
  public void removeWatch(String path, boolean recursive, WatchListener watch) {
    await(client.removeWatch(path, recursive, watch));
  }

  /** Waits for a stage of this client, unwrapping its failure. */
  public <T> T await(CompletionStage<T> stage) {
    Context ctx = Vertx.currentContext();
    if (ctx != null && ctx.isEventLoopContext()) {
      throw new IllegalStateException("a blocking call on an event-loop thread; use the async"
          + " client there");
    }
    try {
      return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RoostException.of(io.roost.core.proto.Code.CONNECTION_LOSS, null);
    } catch (TimeoutException e) {
      throw RoostException.of(io.roost.core.proto.Code.OPERATION_TIMEOUT, null);
    } catch (ExecutionException e) {
      Throwable cause = RoostException.unwrap(e.getCause());
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }
}
