package dev.persona.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A copy this instance wrote is told current by its version token, not by the order or number of
 * reports: every report of its key counts, and a check that finds the copy's token in Redis makes
 * it current again as of the count taken before the check was sent. Another instance's report heard
 * after this instance's conflicting answer and retry does not make the retry's copy look changed
 * once checked; an erasure reported together with this instance's write (one report) leaves its
 * copy changed. A report heard while its key was not watched is not lost on a copy whose count was
 * taken before the watch began; after a lost connection, a copy is written back only as the reports
 * before the loss allow.
 */
final class ChangeReportsTest {
  private static final byte[] OLD = token("8000000000000001");
  private static final byte[] MINE = token("8000000000000002");
  private static final byte[] THEIRS = token("8000000000000003");

  private static byte[] token(String hex) {
    return hex.getBytes(StandardCharsets.US_ASCII);
  }

  private static List<byte[]> key(String name) {
    return List.of(name.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void anOwnWritesReport_makesItsCopyChanged_untilACheckFindsItsToken() {
    ChangeReports reports = new ChangeReports();
    reports.watch("s");
    reports.expect("s"); // a write sent
    long seen = reports.now(); // its answer: the copy's count

    assertThat(reports.reported(key("s"))).as("its report is checked").containsExactly("s");
    assertThat(reports.unchangedSince("s", seen, MINE)).isFalse();
    reports.verified("s", MINE, reports.now()); // Redis holds the copy's token

    assertThat(reports.unchangedSince("s", seen, MINE)).isTrue();
    reports.reported(key("s")); // another instance writes
    assertThat(reports.unchangedSince("s", seen, MINE)).isFalse();
  }

  @Test
  void aCheckAnsweredBeforeTheWritesCopyIsKept_stillMakesThatCopyCurrent() {
    ChangeReports reports = new ChangeReports();
    reports.watch("s");
    reports.expect("s");
    long seen = reports.now(); // the answer came, its copy not kept yet
    reports.reported(key("s"));
    reports.verified("s", MINE, reports.now()); // the check came back first

    // the copy kept now, with the count of its answer
    assertThat(reports.unchangedSince("s", seen, MINE)).isTrue();
  }

  @Test
  void anothersReportHeardAfterTheConflictAndTheRetry_leavesTheRetrysCopyCurrent_onceChecked() {
    ChangeReports reports = new ChangeReports();
    reports.watch("s");
    reports.expect("s"); // a compare-and-set on an old copy: another instance wrote first
    // its conflict's answer comes before the report of that other write (same event-loop cycle)
    reports.expect("s"); // the retry, on the state the conflict answered
    List<String> check = reports.reported(key("s")); // the other instance's write, heard now
    long before = reports.now();
    reports.verified("s", THEIRS, before); // checked before the retry landed: not this copy yet
    long seen = reports.now(); // the retry's answer
    reports.reported(key("s")); // the retry's own report
    reports.verified("s", MINE, reports.now());

    assertThat(check).containsExactly("s");
    assertThat(reports.unchangedSince("s", seen, MINE)).isTrue();
    assertThat(reports.unchangedSince("s", seen, THEIRS)).isFalse();
  }

  @Test
  void anErasureReportedWithThisInstancesWrite_inOneReport_leavesTheCopyChanged() {
    ChangeReports reports = new ChangeReports();
    reports.watch("s");
    reports.expect("s");
    long seen = reports.now(); // the write's answer
    reports.reported(key("s")); // one report: this write, and another's erasure right after it
    assertThat(reports.unchangedSince("s", seen, MINE)).isFalse();

    reports.verified("s", THEIRS, reports.now()); // the check finds the tombstone's token
    assertThat(reports.unchangedSince("s", seen, MINE)).isFalse();
  }

  @Test
  void aReportOfAKeyThisInstanceDidNotWriteLately_isNotChecked_andCounts() {
    ChangeReports reports = new ChangeReports();
    reports.watch("s");
    long seen = reports.now(); // a copy read

    assertThat(reports.reported(key("s"))).isEmpty();
    assertThat(reports.unchangedSince("s", seen, OLD)).isFalse();
  }

  @Test
  void aCheckFindingTheTokenBeforeAReport_doesNotHideTheReport() {
    ChangeReports reports = new ChangeReports();
    reports.watch("s");
    reports.expect("s");
    long seen = reports.now();
    reports.reported(key("s"));
    long at = reports.now(); // a check sent
    reports.reported(key("s")); // another write, reported before the check's answer
    reports.verified("s", MINE, at); // Redis held the token when the check ran, before that write

    assertThat(reports.unchangedSince("s", seen, MINE)).isFalse();
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

  @Test
  void aCopyWhoseOwnReportWasCheckedBeforeTheConnectionWasLost_isWrittenBack() {
    ChangeReports reports = new ChangeReports();
    reports.watch("s");
    reports.expect("s");
    long seen = reports.now();
    reports.reported(key("s"));
    reports.verified("s", MINE, reports.now());
    reports.reported(null); // lost
    reports.reported(null); // made again

    assertThat(reports.unchangedUntilSealed("s", seen, MINE, true)).isTrue();
  }

  @Test
  void aCopyWhoseOwnReportWasStillBeingChecked_whenTheConnectionWasLost_isWrittenBack() {
    // the choice documented on unchangedUntilSealed: the report is taken for the copy's own
    ChangeReports reports = new ChangeReports();
    reports.watch("s");
    reports.expect("s");
    long seen = reports.now(); // the write's answer
    reports.reported(key("s")); // its report; the check sent, never answered
    reports.reported(null); // lost
    reports.reported(null); // made again

    assertThat(reports.unchangedSince("s", seen, MINE)).isFalse();
    assertThat(reports.unchangedUntilSealed("s", seen, MINE, true)).isTrue();
  }

  @Test
  void aCopyReadWhoseKeysReportWasStillBeingChecked_whenTheConnectionWasLost_isNotWrittenBack() {
    // this instance wrote the key lately, then read another's state: a report since is another's
    // write (or erasure) for a copy read, whatever its check would have said
    ChangeReports reports = new ChangeReports();
    reports.watch("s");
    reports.expect("s");
    long seen = reports.now(); // the read's count
    reports.reported(key("s")); // checked, as the key was written here lately; never answered
    reports.reported(null); // lost
    reports.reported(null); // made again

    assertThat(reports.unchangedUntilSealed("s", seen, MINE, false)).isFalse();
  }

  @Test
  void aCopyWhoseCheckFoundAnotherToken_beforeTheConnectionWasLost_isNotWrittenBack() {
    ChangeReports reports = new ChangeReports();
    reports.watch("s");
    reports.expect("s");
    long seen = reports.now();
    reports.reported(key("s")); // this write and another's erasure
    reports.verified("s", THEIRS, reports.now());
    reports.reported(null);

    assertThat(reports.unchangedUntilSealed("s", seen, MINE, true)).isFalse();
  }

  @Test
  void aCopyWithTwoReportsSince_oneStillBeingChecked_isNotWrittenBack() {
    ChangeReports reports = new ChangeReports();
    reports.watch("s");
    reports.expect("s");
    long seen = reports.now();
    reports.reported(key("s")); // its own
    reports.reported(key("s")); // then another's: at least one is not this copy's
    reports.reported(null);

    assertThat(reports.unchangedUntilSealed("s", seen, MINE, true)).isFalse();
  }

  @Test
  void
      theOnlyReportSinceAWrite_whileBeingChecked_letsAChangeBeWrittenBehind_untilTheCheckAnswers() {
    ChangeReports reports = new ChangeReports();
    reports.watch("s");
    reports.expect("s");
    long seen = reports.now();
    reports.reported(key("s"));

    assertThat(reports.beingChecked("s", seen, MINE)).isTrue();
    reports.verified("s", THEIRS, reports.now()); // another's erasure in that report
    assertThat(reports.beingChecked("s", seen, MINE)).isFalse();
  }

  @Test
  void theOnlyReportSinceAWrite_withTheSessionsErasureMark_doesNotLetAChangeBeWrittenBehind() {
    ChangeReports reports = new ChangeReports();
    String name = "race:s:{0123456789abcdef}";
    reports.watch(name);
    reports.expect(name);
    long seen = reports.now();
    // another instance's erasure right after this instance's write, reported with it in one
    // event-loop cycle: the key once, and the erasure mark every erasure sets
    reports.reported(key(name));
    reports.reported(key(name + ":e"));

    assertThat(reports.beingChecked(name, seen, MINE)).as("the copy may be erased").isFalse();
  }

  @Test
  void twoReportsSinceAWrite_orOneNotChecked_doNotLetAChangeBeWrittenBehind() {
    ChangeReports reports = new ChangeReports();
    reports.watch("s");
    long read = reports.now(); // a copy read: its reports are not checked
    reports.reported(key("s"));
    assertThat(reports.beingChecked("s", read, OLD)).isFalse();

    reports.expect("s");
    long seen = reports.now();
    reports.reported(key("s"));
    reports.reported(key("s"));
    assertThat(reports.beingChecked("s", seen, MINE)).isFalse();
  }

  /** As {@code RedisSessions} asks: no report counted since, or none of this key. */
  private static boolean unchanged(ChangeReports reports, String name, long seen) {
    return reports.now() == seen || reports.unchangedSince(name, seen, OLD);
  }
}
