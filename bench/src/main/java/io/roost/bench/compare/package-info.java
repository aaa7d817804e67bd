/**
 * The side-by-side benchmark ({@code bin/roost bench compare}): {@link
 * io.roost.bench.compare.CompareBench} runs the same workloads with the official ZooKeeper client
 * against a 3-server Apache ZooKeeper ensemble and a 3-server Roost ensemble of separate JVMs,
 * alternating over rounds, and reports every row's Roost/ZooKeeper ratio as a table, JSON and an
 * SVG chart, with the targets of issue 6 as met or not met.
 */
package io.roost.bench.compare;
