/**
 * Shared counters: {@link io.roost.recipes.atomic.SharedValue} and
 * {@link io.roost.recipes.atomic.SharedCount} (a watched node with version-based
 * compare-and-set and change listeners) and {@link io.roost.recipes.atomic.DistributedAtomicLong}
 * (optimistic read-modify-write with bounded retries). See docs/recipes.md.
 */
package io.roost.recipes.atomic;
