/**
 * Measuring helpers shared by the benchmark programs: a latency histogram, a log of completions
 * cut into phases afterwards, JVM heap and GC readings, step timing, and a report printed as a
 * table and written as JSON.
 */
package io.roost.bench.stats;
