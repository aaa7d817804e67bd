package io.roost.core.server;

import io.roost.core.acl.Acls;
import io.roost.core.proto.ACL;
import io.roost.core.proto.CheckVersionRequest;
import io.roost.core.proto.Code;
import io.roost.core.proto.CreateMode;
import io.roost.core.proto.CreateRequest;
import io.roost.core.proto.CreateTTLRequest;
import io.roost.core.proto.DeleteRequest;
import io.roost.core.proto.Id;
import io.roost.core.proto.OpCode;
import io.roost.core.proto.Perms;
import io.roost.core.proto.SetACLRequest;
import io.roost.core.proto.SetDataRequest;
import io.roost.core.tree.DataTree;
import io.roost.core.tree.NodeKinds;
import io.roost.core.tree.PathNames;
import io.roost.core.txn.TxnOp;
import java.util.List;
import java.util.Locale;

/**
 * The prepare step: validates one write request against the tree as it will be (existence,
 * versions, ACLs) and turns it into a deterministic {@link TxnOp} with every decision made
 * (sequential name, new versions, owner). Checks run in ZooKeeper's order so clients see the same
 * error codes. Throws {@link RequestError} when the request must fail.
 */
final class Prepare {
  private final boolean ttlEnabled;

  Prepare(boolean ttlEnabled) {
    this.ttlEnabled = ttlEnabled;
  }

  /** Any create: create, create2, createContainer, createTTL. */
  TxnOp.Create create(PrepView view, int opCode, String path, byte[] data, List<ACL> acl,
      int flags, long ttl, long sessionId, List<Id> ids) {
    CreateMode mode;
    try {
      mode = CreateMode.fromFlag(flags);
    } catch (IllegalArgumentException e) {
      throw new RequestError(Code.BAD_ARGUMENTS, "unknown create flags " + flags);
    }
    checkCreateMode(opCode, mode, ttl);
    checkPath(path, mode.isSequential());
    String parentPath = PathNames.parent(path);
    if (parentPath == null) {
      throw new RequestError(Code.NODE_EXISTS, "the root always exists");
    }
    List<ACL> fixed = Acls.validateAndExpand(acl, ids);
    if (fixed == null) {
      throw new RequestError(Code.INVALID_ACL, "acl " + acl);
    }
    PrepView.NodeState parent = view.get(parentPath);
    if (parent == null) {
      throw new RequestError(Code.NO_NODE, "parent " + parentPath + " does not exist");
    }
    if (!Acls.allowed(parent.acl(), Perms.CREATE, ids)) {
      throw new RequestError(Code.NO_AUTH, "CREATE on " + parentPath);
    }
    String name = path;
    if (mode.isSequential()) {
      name = path + String.format(Locale.ROOT, "%010d", parent.cversion());
      checkPath(name, false);
    }
    if (view.get(name) != null) {
      throw new RequestError(Code.NODE_EXISTS, name);
    }
    if (NodeKinds.isEphemeral(parent.ephemeralOwner())) {
      throw new RequestError(Code.NO_CHILDREN_FOR_EPHEMERALS, parentPath);
    }
    long owner = 0;
    if (mode.isEphemeral()) {
      owner = sessionId;
    } else if (mode.isContainer()) {
      owner = NodeKinds.CONTAINER_OWNER;
    } else if (mode.isTtl()) {
      owner = NodeKinds.ttlOwner(ttl);
    }
    view.created(name, parentPath, owner, fixed);
    return new TxnOp.Create(name, data, fixed, owner, parent.cversion() + 1);
  }

  private void checkCreateMode(int opCode, CreateMode mode, long ttl) {
    if (mode.isTtl()) {
      if (!ttlEnabled) {
        throw new RequestError(Code.UNIMPLEMENTED, "TTL nodes are disabled (roost.ttlNodes.enabled)");
      }
      if (opCode != OpCode.createTTL) {
        throw new RequestError(Code.BAD_ARGUMENTS, "TTL modes need the createTTL op");
      }
      if (ttl <= 0 || ttl > NodeKinds.MAX_TTL) {
        throw new RequestError(Code.BAD_ARGUMENTS, "ttl=" + ttl + " is outside 1.."
            + NodeKinds.MAX_TTL);
      }
    } else if (opCode == OpCode.createTTL) {
      throw new RequestError(Code.BAD_ARGUMENTS, "createTTL needs a TTL create mode");
    }
    if (opCode == OpCode.createContainer && !mode.isContainer()) {
      throw new RequestError(Code.BAD_ARGUMENTS, "createContainer needs the container mode");
    }
  }

  TxnOp.Create create(PrepView view, int opCode, CreateRequest r, long sessionId, List<Id> ids) {
    return create(view, opCode, r.path(), r.data(), r.acl(), r.flags(), 0, sessionId, ids);
  }

  TxnOp.Create createTtl(PrepView view, CreateTTLRequest r, long sessionId, List<Id> ids) {
    return create(view, OpCode.createTTL, r.path(), r.data(), r.acl(), r.flags(), r.ttl(),
        sessionId, ids);
  }

  TxnOp.Delete delete(PrepView view, DeleteRequest r, List<Id> ids) {
    String path = r.path();
    checkPath(path, false);
    if (DataTree.isSystemNode(path)) {
      throw new RequestError(Code.BAD_ARGUMENTS, path + " cannot be deleted");
    }
    String parentPath = PathNames.parent(path);
    PrepView.NodeState parent = view.get(parentPath);
    if (parent == null) {
      throw new RequestError(Code.NO_NODE, "parent " + parentPath + " does not exist");
    }
    if (!Acls.allowed(parent.acl(), Perms.DELETE, ids)) {
      throw new RequestError(Code.NO_AUTH, "DELETE on " + parentPath);
    }
    PrepView.NodeState node = view.get(path);
    if (node == null) {
      throw new RequestError(Code.NO_NODE, path);
    }
    checkVersion(r.version(), node.version(), path);
    if (node.numChildren() > 0) {
      throw new RequestError(Code.NOT_EMPTY, path);
    }
    view.deleted(path, parentPath);
    return new TxnOp.Delete(path);
  }

  /** Deletes a container or TTL node found by the sweeper, if it still qualifies. */
  TxnOp.Delete sweep(PrepView view, String path) {
    PrepView.NodeState node = view.get(path);
    if (node == null || node.numChildren() > 0) {
      throw new RequestError(Code.NO_NODE, path + " is gone or has children again");
    }
    view.deleted(path, PathNames.parent(path));
    return new TxnOp.Delete(path);
  }

  TxnOp.SetData setData(PrepView view, SetDataRequest r, List<Id> ids) {
    String path = r.path();
    checkPath(path, false);
    PrepView.NodeState node = view.get(path);
    if (node == null) {
      throw new RequestError(Code.NO_NODE, path);
    }
    if (!Acls.allowed(node.acl(), Perms.WRITE, ids)) {
      throw new RequestError(Code.NO_AUTH, "WRITE on " + path);
    }
    checkVersion(r.version(), node.version(), path);
    int next = node.version() + 1;
    view.dataSet(path, next);
    return new TxnOp.SetData(path, r.data(), next);
  }

  TxnOp.SetAcl setAcl(PrepView view, SetACLRequest r, List<Id> ids) {
    String path = r.path();
    checkPath(path, false);
    List<ACL> fixed = Acls.validateAndExpand(r.acl(), ids);
    if (fixed == null) {
      throw new RequestError(Code.INVALID_ACL, "acl " + r.acl());
    }
    PrepView.NodeState node = view.get(path);
    if (node == null) {
      throw new RequestError(Code.NO_NODE, path);
    }
    if (!Acls.allowed(node.acl(), Perms.ADMIN, ids)) {
      throw new RequestError(Code.NO_AUTH, "ADMIN on " + path);
    }
    checkVersion(r.version(), node.aversion(), path);
    int next = node.aversion() + 1;
    view.aclSet(path, next, fixed);
    return new TxnOp.SetAcl(path, fixed, next);
  }

  TxnOp.Check check(PrepView view, CheckVersionRequest r, List<Id> ids) {
    String path = r.path();
    checkPath(path, false);
    PrepView.NodeState node = view.get(path);
    if (node == null) {
      throw new RequestError(Code.NO_NODE, path);
    }
    if (!Acls.allowed(node.acl(), Perms.READ, ids)) {
      throw new RequestError(Code.NO_AUTH, "READ on " + path);
    }
    checkVersion(r.version(), node.version(), path);
    return new TxnOp.Check(path, r.version());
  }

  private static void checkVersion(int expected, int actual, String path) {
    if (expected != -1 && expected != actual) {
      throw new RequestError(Code.BAD_VERSION, path + " is at version " + actual
          + ", expected " + expected);
    }
  }

  static void checkPath(String path, boolean sequential) {
    String problem = PathNames.problem(path, sequential);
    if (problem != null) {
      throw new RequestError(Code.BAD_ARGUMENTS, "invalid path '" + path + "': " + problem);
    }
  }
}
