/**
 * Roost's recipes over {@link io.roost.client.RoostClient}: locks, semaphores and leader
 * election on one engine ({@code lock}, {@code leader}), queues, barriers, counters, caches,
 * group membership and service discovery. Every recipe that grants ownership returns an
 * {@link io.roost.recipes.Ownership} with a fencing token and guarded writes.
 */
package io.roost.recipes;
