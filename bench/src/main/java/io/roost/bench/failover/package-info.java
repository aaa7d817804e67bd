/**
 * The failover benchmark ({@code bin/roost bench failover}): {@link
 * io.roost.bench.failover.FailoverBench} kills the leader of a 3-server ensemble of separate JVMs
 * under a steady write load and times the new leader, the first write and the rejoin. The system
 * under test is behind {@link io.roost.bench.failover.EnsembleUnderTest}: {@link
 * io.roost.bench.failover.RoostEnsemble} and {@link io.roost.bench.failover.ZooKeeperEnsemble}
 * (both {@link io.roost.bench.failover.JvmEnsemble}s); {@link
 * io.roost.bench.failover.LeaderFailover} holds the steps the comparison benchmark reuses.
 */
package io.roost.bench.failover;
