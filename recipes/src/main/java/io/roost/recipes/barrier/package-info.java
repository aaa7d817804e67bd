/**
 * Barriers: {@link io.roost.recipes.barrier.DistributedBarrier} (held while its node exists)
 * and {@link io.roost.recipes.barrier.DistributedDoubleBarrier} (enter and leave together),
 * both waiting on watches. See docs/recipes.md.
 */
package io.roost.recipes.barrier;
