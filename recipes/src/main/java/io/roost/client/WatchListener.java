package io.roost.client;

/**
 * Receives watch events, on the client's event-loop thread (it must not block). A one-shot
 * watch calls it once; a persistent one for every change until removed.
 */
@FunctionalInterface
public interface WatchListener {
  /** A watched node changed. */
  void process(WatchEvent event);
}
