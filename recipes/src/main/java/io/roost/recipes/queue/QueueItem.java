package io.roost.recipes.queue;

/**
 * An item taken from a queue.
 *
 * <p>{@code equals} compares {@code data} by reference (a record over an array); compare the
 * contents with {@link java.util.Arrays#equals(byte[], byte[])}.
 *
 * @param name the item's node name in the queue (unique within the queue)
 * @param id the id it was put with, for a {@link DistributedIdQueue}; else null
 * @param data the data it was put with (null if put with null)
 * @param priorAttempts how many earlier guaranteed deliveries of this item did not complete
 *     (their consumer failed it or died): 0 the first time; a consumer may use it to set aside
 *     an item that keeps failing
 */
public record QueueItem(String name, String id, byte[] data, int priorAttempts) {}
