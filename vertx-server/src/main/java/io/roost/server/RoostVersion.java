package io.roost.server;

/** The version strings Roost reports to admin commands. */
public final class RoostVersion {
  /** Roost's own version. */
  public static final String VERSION = "0.1.0";
  /** The ZooKeeper protocol version Roost speaks. */
  public static final String PROTOCOL = "3.9";

  private RoostVersion() {}

  /** The line srvr and mntr print as the server version. */
  public static String describe() {
    return PROTOCOL + ".0-roost-" + VERSION;
  }
}
