package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ExplainCommandTest {
  @TempDir Path dir;

  @Test
  void prettyPrintedVisit_isExplainedWithScoresVariantsContentAndReasons() throws IOException {
    Path rules = Cli.write(dir, "rules.json", Cli.rules(0.6));
    Path visit =
        Cli.write(
            dir,
            "visit.json",
            "{",
            "  \"session\": \"s1\",",
            "  \"at\": \"2026-11-10T12:00:00Z\",",
            "  \"headers\": {\"Accept-Language\": \"pl-PL,pl;q=0.9\", \"CF-IPCountry\": \"PL\"},",
            "  \"explicit\": {\"interests\": [\"hiking\"]},",
            "  \"events\": [",
            "    {\"type\": \"apply_coupon\"},",
            "    {\"type\": \"view_reviews\", \"sku\": \"A1\"}",
            "  ]",
            "}");

    Cli r = Cli.run("explain", "--rules", rules.toString(), visit.toString());

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("session s1, at 2026-11-10T12:00:00Z")
        .contains("Rule set         test-0.6")
        .contains("Consent          FULL")
        .containsPattern("\\* value_hunter +0\\.60 +threshold 0\\.50 +<- primary")
        .containsPattern("\n +researcher +0\\.30 +threshold 0\\.50\n")
        .contains("Primary persona  value_hunter (Value hunter)")
        .contains("Lifecycle        new_visitor")
        .contains("Stage            awareness")
        .contains("explicit   interests=[hiking]")
        .contains("coupons_applied=1", "reviews_read=1")
        .contains("country=PL", "language=pl")
        .contains("home.hero  flash-sale  (for persona value_hunter, fit 0.60)")
        .contains("{\"title\": \"Flash sale\", \"ends_in_hours\": 24}")
        .contains("  - rule 'coupon-user' [coupons_applied >= 0.5] fired: value_hunter +0.60")
        .contains("  - placement home.hero: variant flash-sale for persona value_hunter");
  }

  @Test
  void severalVisitsInTheFile_areOneSessionAndTheLastIsExplained() throws IOException {
    Path visits =
        Cli.write(
            dir,
            "visits.json",
            "{\"session\": \"s1\", \"events\": [{\"type\": \"product_view\"}]}",
            "{\"session\": \"s1\", \"events\": [{\"type\": \"product_view\"}]}");

    Cli r = Cli.run("explain", visits.toString());

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("(visit 2 of the session)", "product_views=2");
  }

  @Test
  void withTheDefaultRules_everyPlacementIsShown() throws IOException {
    Path visit = Cli.write(dir, "visit.json", "{\"session\": \"s1\"}");

    Cli r = Cli.run("explain", visit.toString());

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("Primary persona  none")
        .contains("home.hero", "product.badge", "cart.message", "email.subject", "(default)");
  }

  @Test
  void badVisit_isReportedWithLineAndColumn() throws IOException {
    Path visit =
        Cli.write(dir, "visit.json", "{", "  \"session\": \"s1\",", "  \"events\": 3", "}");
    Path broken = Cli.write(dir, "broken.json", "{", "  \"session\": \"s1\",");

    Cli r = Cli.run("explain", visit.toString());
    Cli b = Cli.run("explain", broken.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith(visit + ":3:13: \"events\": expected an array of events");
    assertThat(b.code()).isEqualTo(1);
    assertThat(b.err()).startsWith(broken + ":");
    ValidateCommandTest.assertNoStackTrace(r);
    ValidateCommandTest.assertNoStackTrace(b);
  }

  @Test
  void missingFile_exits1() {
    Cli r = Cli.run("explain", dir.resolve("none.json").toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("none.json: cannot read: no such file");
  }
}
