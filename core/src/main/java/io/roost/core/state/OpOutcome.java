package io.roost.core.state;

import io.roost.core.proto.Stat;

/**
 * What applying one op produced, for the reply: the node's path (the resolved name for sequential
 * creates) and its Stat afterwards (null for deletes, checks and session ops).
 */
public record OpOutcome(String path, Stat stat) {}
