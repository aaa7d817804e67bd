/**
 * Distributed queues: FIFO ({@link io.roost.recipes.queue.DistributedQueue}), priority
 * ({@link io.roost.recipes.queue.DistributedPriorityQueue}), delay
 * ({@link io.roost.recipes.queue.DistributedDelayQueue}) and id-addressable
 * ({@link io.roost.recipes.queue.DistributedIdQueue}), each with plain takes (the delete decides
 * who got an item) and guaranteed processing (an ephemeral claim, removal only once processed).
 * See {@link io.roost.recipes.queue.AbstractDistributedQueue} and docs/recipes.md.
 */
package io.roost.recipes.queue;
