/**
 * Roost's ZAB-style consensus core: a deterministic state machine that keeps the replicated log of
 * an ensemble in agreement. It owns no thread, socket, file or clock. The caller feeds it inputs
 * ({@link io.roost.core.consensus.ConsensusNode#step peer messages},
 * {@link io.roost.core.consensus.ConsensusNode#tick ticks},
 * {@link io.roost.core.consensus.ConsensusNode#persisted durability reports} and
 * {@link io.roost.core.consensus.ConsensusNode#propose client proposals}) and after each input
 * collects a {@link io.roost.core.consensus.Ready}: hard state and log changes to persist, messages
 * to send, committed transactions to apply, and role changes.
 *
 * <p>Phases follow ZAB: election (votes ordered by current epoch, last zxid, server id), discovery
 * (a quorum promises a new epoch), synchronization (each follower gets DIFF, TRUNC or SNAP until it
 * holds exactly the leader's history, then acknowledges NEWLEADER) and broadcast (pipelined
 * proposals, acknowledged after fsync, committed by a quorum). Every message carries enough to be
 * checked on arrival, so the protocol stays safe when messages are lost, duplicated, delayed or
 * reordered; lost progress is recovered by retransmission on ticks. See docs/consensus.md.
 */
package io.roost.core.consensus;
