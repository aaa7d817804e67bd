package io.roost.core.server;

/** What a server does with client writes, set by whoever drives the core. */
public enum ServerRole {
  /** A single server: prepares, commits through its own log. */
  STANDALONE,
  /** The ensemble's leader: prepares its own clients' writes and those forwarded to it. */
  LEADER,
  /** A follower or observer: serves reads, forwards writes and session changes to the leader. */
  FOLLOWER,
  /** Not part of a working ensemble right now: client connections are refused. */
  OFFLINE
}
