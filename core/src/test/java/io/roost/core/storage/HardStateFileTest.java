package io.roost.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roost.core.consensus.HardState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardStateFileTest {
  @TempDir Path dir;

  @Test
  void aMissingFileIsTheInitialState() throws IOException {
    assertEquals(HardState.INITIAL, new HardStateFile(dir).read());
  }

  @Test
  void theLastWrittenStateIsReadBack() throws IOException {
    HardStateFile f = new HardStateFile(dir);
    f.write(new HardState(3, 2, 2));
    f.write(new HardState(5, 1, 4));
    assertEquals(new HardState(5, 1, 4), new HardStateFile(dir).read());
    assertFalse(Files.exists(dir.resolve(HardStateFile.NAME + ".tmp")));
  }

  @Test
  void aDamagedFileStopsStartUpNamingTheFile() throws IOException {
    HardStateFile f = new HardStateFile(dir);
    f.write(new HardState(7, 3, 7));
    byte[] bytes = Files.readAllBytes(f.path());
    for (int i = 0; i < bytes.length; i++) {
      byte[] flipped = bytes.clone();
      flipped[i] ^= 0x10;
      Files.write(f.path(), flipped);
      IOException e = assertThrows(IOException.class, f::read, "byte " + i);
      assertTrue(e.getMessage().contains(HardStateFile.NAME), e.getMessage());
    }
    Files.write(f.path(), new byte[] {1, 2, 3});
    assertThrows(IOException.class, f::read);
  }
}
