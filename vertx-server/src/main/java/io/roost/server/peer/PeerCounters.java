package io.roost.server.peer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The transport's running totals. Written on the transport's context, readable from any thread
 * (a metrics scrape, a test).
 */
final class PeerCounters {
  final AtomicLong sent = new AtomicLong();
  final AtomicLong received = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();
  final AtomicLong reconnects = new AtomicLong();
}
