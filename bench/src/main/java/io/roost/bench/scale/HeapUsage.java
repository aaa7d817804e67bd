package io.roost.bench.scale;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of another JVM, read with {@code jcmd}: a full collection ({@code GC.run}), then
 * {@code GC.heap_info}, whose G1 line gives the used bytes. The server JVMs run with
 * {@code -XX:+UseG1GC} so that line is always there.
 */
final class HeapUsage {
  private static final long JCMD_WAIT_S = 120;
  private static final Pattern G1_USED =
      Pattern.compile("garbage-first heap\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");

  private HeapUsage() {}

  /**
   * Forces a full collection in process {@code pid} and returns its used heap in bytes.
   *
   * @throws IllegalStateException if jcmd fails, hangs or prints no G1 heap line
   */
  static long liveBytes(long pid) throws IOException, InterruptedException {
    jcmd(pid, "GC.run");
    // A second collection picks up what finalisation or reference processing freed in the first.
    jcmd(pid, "GC.run");
    return usedBytes(jcmd(pid, "GC.heap_info"));
  }

  /**
   * The used bytes in the output of {@code jcmd PID GC.heap_info} for a G1 heap.
   *
   * @throws IllegalStateException if there is no {@code garbage-first heap ... used NK} line
   */
  static long usedBytes(String heapInfo) {
    Matcher m = G1_USED.matcher(heapInfo);
    if (!m.find()) {
      throw new IllegalStateException("no 'garbage-first heap total ...K, used ...K' line in "
          + "jcmd GC.heap_info output (is the server running with -XX:+UseG1GC?): " + heapInfo);
    }
    return Long.parseLong(m.group(2)) * 1024;
  }

  /** The jcmd of the JDK this runs on (it attaches most surely to a JVM of its own version). */
  private static String jcmdCommand() {
    Path own = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    return Files.isExecutable(own) ? own.toString() : "jcmd";
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(jcmdCommand(), Long.toString(pid), command))
        .redirectErrorStream(true).start();
    String out;
    try (InputStream in = p.getInputStream()) {
      // jcmd's output is small; reading it before waitFor keeps the pipe from filling.
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!p.waitFor(JCMD_WAIT_S, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("jcmd " + pid + " " + command + " took over " + JCMD_WAIT_S
          + " s");
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + pid + " " + command + " exited with "
          + p.exitValue() + ": " + out.strip() + " (is jcmd from the same JDK on the PATH?)");
    }
    return out;
  }
}
