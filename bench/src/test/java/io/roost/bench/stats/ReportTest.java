package io.roost.bench.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void jsonGroupsFiguresBySectionInOrder() {
    Report r = new Report()
        .add("load", "creates_per_s", "load rate", 12345.6789, "creates/s")
        .add("load", "fsyncs", "log fsyncs", 42L, "")
        .add("restart", "note", "note", "a \"quoted\"\tvalue\n")
        .add("restart", "bad", "not a number", Double.NaN, "ms");
    assertEquals("{\n"
        + "  \"load\": {\n"
        + "    \"creates_per_s\": 12345.679,\n"
        + "    \"fsyncs\": 42\n"
        + "  },\n"
        + "  \"restart\": {\n"
        + "    \"note\": \"a \\\"quoted\\\"\\tvalue\\n\",\n"
        + "    \"bad\": null\n"
        + "  }\n"
        + "}\n", r.json());
  }

  @Test
  void theTableGroupsSectionsAlignsNumbersAndShowsUnits() {
    Report r = new Report()
        .add("load", "a", "rate", 12345.6, "creates/s")
        .add("load", "b", "fsyncs per second", 7.25, "fsyncs/s")
        .add("restart", "c", "first read", 1234L, "ms")
        .add("load", "d", "clients", "4 x 256");
    String table = r.table();
    assertEquals("load\n"
        + "  rate               12,346 creates/s\n"
        + "  fsyncs per second   7.250 fsyncs/s\n"
        + "  clients            4 x 256\n"
        + "\n"
        + "restart\n"
        + "  first read          1,234 ms\n", table);
    assertEquals("0.012", Report.text(0.0123));
    assertEquals("123.5", Report.text(123.45));
  }
}
