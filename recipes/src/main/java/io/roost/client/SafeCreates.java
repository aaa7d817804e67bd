package io.roost.client;

import io.roost.core.proto.ACL;
import io.roost.core.proto.Code;
import io.roost.core.proto.Create2Response;
import io.roost.core.proto.CreateRequest;
import io.roost.core.proto.CreateTTLRequest;
import io.roost.core.proto.ExistsRequest;
import io.roost.core.proto.GetChildrenRequest;
import io.roost.core.proto.GetChildrenResponse;
import io.roost.core.proto.GetDataRequest;
import io.roost.core.proto.GetDataResponse;
import io.roost.core.proto.OpCode;
import io.roost.core.proto.Record;
import io.roost.core.proto.Stat;
import io.roost.core.proto.StatResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The steps that make a create safe to retry ({@link CreateOptions}): protected names and
 * finding them again, recognising an existing node as this call's own, creating missing parents.
 * Runs on the client's context; the client's retry loop calls it.
 */
final class SafeCreates {
  private final RoostClient client;

  SafeCreates(RoostClient client) {
    this.client = client;
  }

  /** An existing node found to be this call's, with its stat. */
  CompletableFuture<Create2Response> withStat(String serverPath) {
    return existsServer(serverPath).thenCompose(stat -> stat != null
        ? CompletableFuture.completedFuture(new Create2Response(serverPath, stat))
        : CompletableFuture.failedFuture(RoostException.of(Code.NO_NODE, serverPath)));
  }

  /** A protected name: {@code _c_<uuid>-} before the node's own name. */
  static String protect(String serverPath) {
    String parent = Namespace.parent(serverPath);
    String name = Namespace.name(serverPath);
    return (parent.equals("/") ? "" : parent) + "/_c_" + UUID.randomUUID() + "-" + name;
  }

  CompletableFuture<String> findProtected(String parent, String marker,
      CreateOptions options) {
    return client.send(OpCode.getChildren, parent, new GetChildrenRequest(parent, false),
        in -> GetChildrenResponse.read(in).children(), null)
        .thenCompose(children -> {
          for (String c : children) {
            if (c.startsWith(marker)) {
              String found = (parent.equals("/") ? "" : parent) + "/" + c;
              if (!options.mode().isEphemeral()) {
                return CompletableFuture.completedFuture(found);
              }
              // An ephemeral of a session that was lost since is no proof: make a new one.
              return existsServer(found).thenApply(stat -> stat != null
                  && stat.ephemeralOwner() == client.currentSessionId() ? found : null);
            }
          }
          return CompletableFuture.completedFuture(null);
        })
        .exceptionallyCompose(e -> RoostException.unwrap(e) instanceof RoostException.NoNodeException
            ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(e));
  }

  CompletableFuture<Create2Response> createOnce(String userPath, String serverPath,
      byte[] data, CreateOptions options, boolean retry) {
    Record body;
    int op;
    int flag = options.mode().flag();
    if (options.mode().isTtl()) {
      op = OpCode.createTTL;
      body = new CreateTTLRequest(serverPath, data, options.acl(), flag, options.ttlMs());
    } else {
      op = options.mode().isContainer() ? OpCode.createContainer : OpCode.create2;
      body = new CreateRequest(serverPath, data, options.acl(), flag);
    }
    CompletableFuture<Create2Response> attempt = client.send(op, userPath, body, Create2Response::read,
        null);
    return attempt.exceptionallyCompose(e -> {
      Throwable cause = RoostException.unwrap(e);
      if (cause instanceof RoostException.NoNodeException && options.parents()) {
        return createParents(serverPath, options.acl())
            .thenCompose(v -> client.send(op, userPath, body, Create2Response::read, null));
      }
      if (cause instanceof RoostException.NodeExistsException && !options.mode().isSequential()
          && (retry || options.idempotent())) {
        return isOurs(serverPath, data, options).thenCompose(ours -> ours
            ? withStat(serverPath) : CompletableFuture.failedFuture(cause));
      }
      return CompletableFuture.failedFuture(cause);
    });
  }

  /** Whether an existing node is what this create would have made. */
  CompletableFuture<Boolean> isOurs(String serverPath, byte[] data,
      CreateOptions options) {
    return client.send(OpCode.getData, serverPath, new GetDataRequest(serverPath, false),
        GetDataResponse::read, null).thenApply(r -> {
          if (options.mode().isEphemeral()) {
            // Only this session can own it: it is this call's node (or an earlier one of ours).
            return r.stat().ephemeralOwner() == client.currentSessionId();
          }
          return options.idempotent() && Arrays.equals(r.data(), data);
        }).exceptionally(e -> false);
  }

  /** Creates every missing ancestor of {@code serverPath} as a persistent node. */
  CompletableFuture<Void> createParents(String serverPath, List<ACL> acl) {
    List<String> ancestors = new ArrayList<>();
    for (String p = Namespace.parent(serverPath); !p.equals("/"); p = Namespace.parent(p)) {
      ancestors.add(0, p);
    }
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    for (String p : ancestors) {
      chain = chain.thenCompose(v -> client.send(OpCode.create2, p,
          new CreateRequest(p, new byte[0], acl, 0), in -> null, null)
          .exceptionallyCompose(e -> RoostException.unwrap(e) instanceof RoostException.NodeExistsException
              ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(e))
          .thenApply(x -> null));
    }
    return chain;
  }

  /** The stat of a node, or null if it does not exist. */
  CompletableFuture<Stat> existsServer(String serverPath) {
    return client.send(OpCode.exists, serverPath, new ExistsRequest(serverPath, false),
        in -> StatResponse.read(in).stat(), null)
        .exceptionallyCompose(e -> RoostException.unwrap(e) instanceof RoostException.NoNodeException
            ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(e));
  }
}
