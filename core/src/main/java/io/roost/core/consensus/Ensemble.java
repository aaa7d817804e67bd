package io.roost.core.consensus;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is in the ensemble: the voting servers and the observers, by server id ({@code myid}).
 * A quorum is a strict majority of the voters.
 *
 * @param voters ids of the voting servers (at least one)
 * @param observers ids of the non-voting servers (disjoint from the voters)
 */
public record Ensemble(Set<Integer> voters, Set<Integer> observers) {

  /** Validates and copies the sets. */
  public Ensemble {
    if (voters.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs at least one voting server");
    }
    for (Integer id : observers) {
      if (voters.contains(id)) {
        throw new IllegalArgumentException("server " + id + " is both a voter and an observer");
      }
    }
    for (Integer id : voters) {
      if (id <= 0) {
        throw new IllegalArgumentException("server id " + id + " is not positive");
      }
    }
    for (Integer id : observers) {
      if (id <= 0) {
        throw new IllegalArgumentException("server id " + id + " is not positive");
      }
    }
    // Sorted, so that iteration (and so every output) is the same in every run.
    voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
    observers = Collections.unmodifiableSortedSet(new TreeSet<>(observers));
  }

  /** An ensemble of voters only. */
  public static Ensemble ofVoters(Collection<Integer> voters) {
    return new Ensemble(new TreeSet<>(voters), Set.of());
  }

  /** Number of voters that make a quorum. */
  public int quorum() {
    return voters.size() / 2 + 1;
  }

  /** True if the voters among {@code ids} make a quorum. */
  public boolean isQuorum(Collection<Integer> ids) {
    int n = 0;
    for (Integer id : ids) {
      if (voters.contains(id)) {
        n++;
      }
    }
    return n >= quorum();
  }

  /** True if {@code id} is a voter. */
  public boolean isVoter(int id) {
    return voters.contains(id);
  }

  /** True if {@code id} is a voter or an observer. */
  public boolean contains(int id) {
    return voters.contains(id) || observers.contains(id);
  }

  /** Every member, voters first, each in ascending order. */
  public Collection<Integer> members() {
    var all = new java.util.ArrayList<Integer>(voters);
    all.addAll(observers);
    return all;
  }
}
