/**
 * The ZooKeeper client wire codec: jute primitives ({@link io.roost.core.proto.JuteInput},
 * {@link io.roost.core.proto.JuteOutput}), the protocol constants, one Java record per jute record,
 * and {@link io.roost.core.proto.RequestCodec}, the single table from op code to request decoder.
 *
 * <p>Nothing here touches a socket; callers hand in complete frames and take back byte arrays.
 * Malformed input always surfaces as {@link io.roost.core.proto.ProtocolException}.
 */
package io.roost.core.proto;
