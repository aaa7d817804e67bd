package io.roost.core.server;

import io.roost.core.acl.Acls;
import io.roost.core.proto.ACL;
import io.roost.core.proto.AddWatchMode;
import io.roost.core.proto.AddWatchRequest;
import io.roost.core.proto.Code;
import io.roost.core.proto.ErrorResponse;
import io.roost.core.proto.EventType;
import io.roost.core.proto.ExistsRequest;
import io.roost.core.proto.GetACLRequest;
import io.roost.core.proto.GetACLResponse;
import io.roost.core.proto.GetAllChildrenNumberRequest;
import io.roost.core.proto.GetAllChildrenNumberResponse;
import io.roost.core.proto.GetChildren2Response;
import io.roost.core.proto.GetChildrenRequest;
import io.roost.core.proto.GetChildrenResponse;
import io.roost.core.proto.GetDataRequest;
import io.roost.core.proto.GetDataResponse;
import io.roost.core.proto.GetEphemeralsRequest;
import io.roost.core.proto.GetEphemeralsResponse;
import io.roost.core.proto.Id;
import io.roost.core.proto.MultiRequest;
import io.roost.core.proto.MultiResponse;
import io.roost.core.proto.OpCode;
import io.roost.core.proto.Perms;
import io.roost.core.proto.Record;
import io.roost.core.proto.SetWatches2;
import io.roost.core.proto.StatResponse;
import io.roost.core.tree.DataNode;
import io.roost.core.tree.DataTree;
import io.roost.core.watch.WatchManager;
import io.roost.core.watch.Watcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The read side: answers read requests from the applied tree and registers the watches they ask
 * for. Runs on the core's thread, so what it reads is consistent with the last applied zxid.
 */
final class Reads {
  private final DataTree tree;
  private final WatchManager watches;

  Reads(DataTree tree, WatchManager watches) {
    this.tree = tree;
    this.watches = watches;
  }

  StatResponse exists(ExistsRequest r, Watcher w) {
    Prepare.checkPath(r.path(), false);
    DataNode node = tree.get(r.path());
    if (r.watch()) {
      // A watch is left even when the node is missing: it fires on creation.
      watches.addDataWatch(r.path(), w);
    }
    if (node == null) {
      throw new RequestError(Code.NO_NODE, r.path());
    }
    return new StatResponse(node.stat());
  }

  GetDataResponse getData(GetDataRequest r, List<Id> ids, Watcher w) {
    DataNode node = readable(r.path(), ids);
    if (r.watch()) {
      watches.addDataWatch(r.path(), w);
    }
    return new GetDataResponse(node.data(), node.stat()); // data() is the caller's own copy
  }

  GetACLResponse getAcl(GetACLRequest r, List<Id> ids) {
    Prepare.checkPath(r.path(), false);
    DataNode node = tree.get(r.path());
    if (node == null) {
      throw new RequestError(Code.NO_NODE, r.path());
    }
    boolean admin = Acls.allowed(node.acl(), Perms.ADMIN, ids);
    if (!admin && !Acls.allowed(node.acl(), Perms.READ, ids)) {
      throw new RequestError(Code.NO_AUTH, "READ or ADMIN on " + r.path());
    }
    List<ACL> acl = admin ? node.acl() : Acls.redacted(node.acl());
    return new GetACLResponse(acl, node.stat());
  }

  Record getChildren(GetChildrenRequest r, List<Id> ids, Watcher w, boolean withStat) {
    DataNode node = readable(r.path(), ids);
    if (r.watch()) {
      watches.addChildWatch(r.path(), w);
    }
    List<String> children = node.childNames();
    return withStat ? new GetChildren2Response(children, node.stat())
        : new GetChildrenResponse(children);
  }

  GetAllChildrenNumberResponse allChildrenNumber(GetAllChildrenNumberRequest r, List<Id> ids) {
    readable(r.path(), ids);
    return new GetAllChildrenNumberResponse(tree.descendantCount(r.path()));
  }

  GetEphemeralsResponse ephemerals(GetEphemeralsRequest r, long sessionId) {
    String prefix = r.prefixPath() == null ? "/" : r.prefixPath();
    List<String> out = new ArrayList<>();
    for (String path : tree.ephemeralsOf(sessionId)) {
      if (prefix.equals("/") || path.startsWith(prefix)) {
        out.add(path);
      }
    }
    out.sort(null);
    return new GetEphemeralsResponse(out);
  }

  MultiResponse multiRead(MultiRequest r, List<Id> ids, Watcher w) {
    List<Record> results = new ArrayList<>(r.ops().size());
    for (MultiRequest.Op op : r.ops()) {
      try {
        if (op.type() == OpCode.getData && op.request() instanceof GetDataRequest g) {
          results.add(getData(g, ids, w));
        } else if (op.type() == OpCode.getChildren && op.request() instanceof GetChildrenRequest g) {
          results.add(getChildren(g, ids, w, false));
        } else {
          throw new RequestError(Code.BAD_ARGUMENTS, "op " + OpCode.name(op.type())
              + " is not allowed in multiRead");
        }
      } catch (RequestError e) {
        results.add(new ErrorResponse(e.code().code()));
      }
    }
    return new MultiResponse(results);
  }

  ErrorResponse addWatch(AddWatchRequest r, List<Id> ids, Watcher w) {
    Prepare.checkPath(r.path(), false);
    if (r.mode() != AddWatchMode.PERSISTENT && r.mode() != AddWatchMode.PERSISTENT_RECURSIVE) {
      throw new RequestError(Code.BAD_ARGUMENTS, "unknown addWatch mode " + r.mode());
    }
    DataNode node = tree.get(r.path());
    if (node != null && !Acls.allowed(node.acl(), Perms.READ, ids)) {
      throw new RequestError(Code.NO_AUTH, "READ on " + r.path());
    }
    watches.addPersistentWatch(r.path(), w, r.mode() == AddWatchMode.PERSISTENT_RECURSIVE);
    return new ErrorResponse(0);
  }

  void removeWatches(String path, int type, Watcher w, boolean checkOnly) {
    Prepare.checkPath(path, false);
    boolean found;
    try {
      found = watches.remove(path, type, w, checkOnly);
    } catch (IllegalArgumentException e) {
      throw new RequestError(Code.BAD_ARGUMENTS, e.getMessage());
    }
    if (!found) {
      throw new RequestError(Code.NO_WATCHER, path);
    }
  }

  /**
   * Re-registers a reconnecting client's watches. Where the node changed after the client's last
   * seen zxid, the event fires now instead, so the client misses nothing.
   */
  void setWatches(SetWatches2 r, Watcher w, long lastZxid) {
    long rel = r.relativeZxid();
    for (String path : nonNull(r.dataWatches())) {
      DataNode node = tree.get(path);
      if (node == null) {
        w.process(EventType.NODE_DELETED, path, lastZxid);
      } else if (node.mzxid() > rel) {
        w.process(EventType.NODE_DATA_CHANGED, path, lastZxid);
      } else {
        watches.addDataWatch(path, w);
      }
    }
    for (String path : nonNull(r.existWatches())) {
      if (tree.get(path) != null) {
        w.process(EventType.NODE_CREATED, path, lastZxid);
      } else {
        watches.addDataWatch(path, w);
      }
    }
    for (String path : nonNull(r.childWatches())) {
      DataNode node = tree.get(path);
      if (node == null) {
        w.process(EventType.NODE_DELETED, path, lastZxid);
      } else if (node.pzxid() > rel) {
        w.process(EventType.NODE_CHILDREN_CHANGED, path, lastZxid);
      } else {
        watches.addChildWatch(path, w);
      }
    }
    for (String path : nonNull(r.persistentWatches())) {
      watches.addPersistentWatch(path, w, false);
    }
    for (String path : nonNull(r.persistentRecursiveWatches())) {
      watches.addPersistentWatch(path, w, true);
    }
  }

  private DataNode readable(String path, List<Id> ids) {
    Prepare.checkPath(path, false);
    DataNode node = tree.get(path);
    if (node == null) {
      throw new RequestError(Code.NO_NODE, path);
    }
    if (!Acls.allowed(node.acl(), Perms.READ, ids)) {
      throw new RequestError(Code.NO_AUTH, "READ on " + path);
    }
    return node;
  }

  private static List<String> nonNull(List<String> list) {
    return list == null ? List.of() : list;
  }
}
