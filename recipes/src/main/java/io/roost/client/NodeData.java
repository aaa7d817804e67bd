package io.roost.client;

import io.roost.core.proto.Stat;

/**
 * A node's data and stat, as read together.
 *
 * @param data the data (null if the node was created with null data)
 * @param stat the node's stat at the time of the read
 */
public record NodeData(byte[] data, Stat stat) {}
