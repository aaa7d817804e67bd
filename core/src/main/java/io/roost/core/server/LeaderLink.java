package io.roost.core.server;

/** How a follower's core reaches the current leader (the driver sends it over the peer port). */
@FunctionalInterface
public interface LeaderLink {
  /** Sends a request to the leader; may drop it if there is no connection (clients retry). */
  void send(LeaderRequest request);
}
