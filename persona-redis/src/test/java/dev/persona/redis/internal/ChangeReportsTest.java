package dev.persona.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A copy written by this instance stays current after its own write's report (which Redis 7 sends
 * after a script's answer), whichever of the report and the answer the instance hears first; a
 * report taken for an own write that did not land counts as another's; a report heard while its key
 * was not watched is not lost on a copy whose count was taken before the watch began.
 */
final class ChangeReportsTest {
  private static List<byte[]> key(String name) {
    return List.of(name.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void anOwnWritesReport_heardBeforeItsAnswer_isNotAnothers() {
    ChangeReports reports = new ChangeReports();
    reports.watch("s");
    reports.expect("s"); // a write sent
    reports.reported(key("s")); // its report, heard on Lettuce's thread before the sender hears
    long seen = reports.now(); // the copy the write made

    assertThat(reports.unchangedSince("s", seen)).isTrue();

    reports.reported(key("s")); // another instance writes
    assertThat(reports.unchangedSince("s", seen)).isFalse();
  }

  @Test
  void aReportTakenForAnOwnWriteThatDidNotLand_countsAsAnothers() {
    ChangeReports reports = new ChangeReports();
    reports.watch("s");
    long seen = reports.now(); // a copy read
    reports.expect("s"); // a write sent on it
    reports.reported(key("s")); // another instance's erasure, which made the write fail
    reports.withdraw("s"); // the write's answer: not written

    assertThat(reports.unchangedSince("s", seen)).isFalse();
  }

  @Test
  void aReportHeardBeforeItsKeyWasWatched_leavesACopyCountedBefore_notKnownUnchanged() {
    ChangeReports reports = new ChangeReports();
    long seen = reports.now(); // a copy's count, taken before its key is watched
    reports.reported(key("s")); // another instance writes: the key is not watched yet
    reports.watch("s");

    assertThat(unchanged(reports, "s", seen)).isFalse();
  }

  @Test
  void aReportHeardWhileItsKeyWasNotWatchedForAMoment_isNotLost() {
    ChangeReports reports = new ChangeReports();
    reports.watch("s");
    long seen = reports.now(); // a copy read
    reports.retain(Set.of()); // the key is not watched for a moment (no copy was held yet)
    reports.reported(key("s")); // another instance writes
    reports.watch("s"); // the copy is kept

    assertThat(unchanged(reports, "s", seen)).isFalse();
  }

  @Test
  void aCopyReadWhileNothingIsReported_staysUnchanged_andOthersKeysDoNotChangeIt() {
    ChangeReports reports = new ChangeReports();
    reports.watch("s");
    long seen = reports.now();
    reports.reported(key("other")); // a key no copy is held of

    assertThat(unchanged(reports, "s", seen)).isTrue();
  }

  /** As {@code RedisSessions} asks: no report counted since, or none of this key. */
  private static boolean unchanged(ChangeReports reports, String name, long seen) {
    return reports.now() == seen || reports.unchangedSince(name, seen);
  }
}
