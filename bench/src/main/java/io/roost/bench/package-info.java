/**
 * Roost's benchmark programs. Every benchmark is a main program run through {@code bin/roost bench};
 * nothing here is a timed test. {@link io.roost.bench.stats} holds the measuring helpers the
 * programs share, {@link io.roost.bench.storage} the single-server storage benchmark.
 */
package io.roost.bench;
