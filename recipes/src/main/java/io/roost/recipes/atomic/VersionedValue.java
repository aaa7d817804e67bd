package io.roost.recipes.atomic;

/**
 * A value together with the node version it was read at: what a compare-and-set compares.
 *
 * @param version the node's data version when the value was read or written
 * @param value the value
 * @param <T> the value's type
 */
public record VersionedValue<T>(int version, T value) {}
