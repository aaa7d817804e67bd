package io.roost.core.consensus;

/**
 * A message to send.
 *
 * @param to the receiving server's id
 * @param message what to send
 */
public record Envelope(int to, PeerMessage message) {}
