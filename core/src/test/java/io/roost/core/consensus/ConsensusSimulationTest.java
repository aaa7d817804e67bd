package io.roost.core.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulations of 3- and 5-voter ensembles (some with an observer) under message loss,
 * duplication, delay and reordering, partitions, crash-restarts that lose unsynced writes, and
 * ticks; see {@link Simulation} and {@link SimChecker} for what is checked. A failure names its
 * seed; rerun one with {@code -Droost.sim.seed=N} (and {@code -Droost.sim.shape=3+1}) to replay it.
 */
class ConsensusSimulationTest {
  private static final int CI_SEEDS = 500;
  private static final int EXTENDED_SEEDS = 20_000;

  @Test
  void safetyAndConvergenceHoldForManySeeds() {
    runSeeds(CI_SEEDS, 0x5eed_0001L);
  }

  @Test
  @Tag("extended")
  void safetyAndConvergenceHoldForTwentyThousandSeeds() {
    runSeeds(EXTENDED_SEEDS, 0x5eed_0002L);
  }

  /** Replays one seed given on the command line; does nothing without one. */
  @Test
  void replaySeedFromCommandLine() {
    String seed = System.getProperty("roost.sim.seed");
    if (seed == null) {
      return;
    }
    String shape = System.getProperty("roost.sim.shape", "3+0");
    String[] parts = shape.split("\\+");
    runOne(Long.parseLong(seed.strip()), Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
  }

  /** The same seed gives the same run, step for step. */
  @Test
  void aSeedReplaysExactly() {
    Simulation.Stats a = runOne(42, 5, 1);
    Simulation.Stats b = runOne(42, 5, 1);
    assertEquals(a, b);
    assertTrue(a.committed() > 0, "the run committed nothing: " + a);
  }

  private static void runSeeds(int count, long master) {
    Random seeds = new Random(master);
    long committed = 0;
    long acked = 0;
    long epochs = 0;
    long reads = 0;
    for (int i = 0; i < count; i++) {
      long seed = seeds.nextLong();
      int voters = i % 2 == 0 ? 3 : 5;
      int observers = i % 3 == 0 ? 1 : 0;
      Simulation.Stats s = runOne(seed, voters, observers);
      committed += s.committed();
      acked += s.acked();
      epochs += s.epochs();
      reads += s.reads();
    }
    System.out.printf(Locale.ROOT, "%d seeds: %d transactions committed, %d acknowledged,"
        + " %d leader epochs, %d read indexes confirmed%n", count, committed, acked, epochs,
        reads);
    assertTrue(acked > count, "the runs acknowledged almost nothing: " + acked);
    assertTrue(reads > count, "the runs confirmed almost no reads: " + reads);
  }

  private static Simulation.Stats runOne(long seed, int voters, int observers) {
    Random r = new Random(seed);
    Simulation.Config config = Simulation.Config.random(r, voters, observers);
    try {
      return new Simulation(seed, config).run();
    } catch (AssertionError e) {
      throw new AssertionError("replay with -Droost.sim.seed=" + seed + " -Droost.sim.shape="
          + voters + "+" + observers + "\n" + e.getMessage(), e);
    }
  }
}
