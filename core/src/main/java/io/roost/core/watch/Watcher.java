package io.roost.core.watch;

/** Something that receives watch events: in the server, a client connection. */
public interface Watcher {
  /**
   * Delivers one event. Called on the thread that applies transactions; must not block.
   *
   * @param eventType an {@link io.roost.core.proto.EventType} value
   * @param path the node the event is about
   * @param zxid the zxid of the change (or the last applied zxid for events fired on reconnect)
   */
  void process(int eventType, String path, long zxid);
}
