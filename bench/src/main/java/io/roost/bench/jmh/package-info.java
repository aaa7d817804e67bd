/**
 * JMH micro-benchmarks of the codec ({@link io.roost.bench.jmh.CodecBench}) and the apply path
 * ({@link io.roost.bench.jmh.ApplyBench}); run them with {@code bin/roost bench jmh [JMH args]}.
 * They are programs, never tests: nothing here asserts a time.
 */
package io.roost.bench.jmh;
