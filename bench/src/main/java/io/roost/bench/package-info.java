/**
 * Roost's benchmark programs. Every benchmark is a main program run through {@code bin/roost bench};
 * nothing here is a timed test. {@link io.roost.bench.stats} holds the measuring helpers the
 * programs share, {@link io.roost.bench.storage} the single-server storage benchmark,
 * {@link io.roost.bench.failover} the leader-failover benchmark on an ensemble of server JVMs,
 * {@link io.roost.bench.compare} the side-by-side comparison with an Apache ZooKeeper ensemble.
 */
package io.roost.bench;
