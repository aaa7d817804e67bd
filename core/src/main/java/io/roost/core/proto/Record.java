package io.roost.core.proto;

/**
 * A jute record: something that can write its fields, in wire order, to a {@link JuteOutput}.
 * Every implementation also has a static {@code read(JuteInput)} factory that reads the same layout.
 */
public interface Record {

    /**
     * Appends this record's fields to {@code out} in wire order.
     *
     * @param out the writer to append to
     */
    void write(JuteOutput out);
}
