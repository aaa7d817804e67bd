/**
 * The scale rows of issue 6: heap per node, restart time, snapshot time and memory per watch,
 * measured the same way on one Apache ZooKeeper server and one Roost server in separate JVMs.
 */
package io.roost.bench.scale;
