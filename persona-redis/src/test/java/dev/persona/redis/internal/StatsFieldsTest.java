package dev.persona.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.VariantChoice;
import dev.persona.VariantStats;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class StatsFieldsTest {

  @Test
  void combination_prefixesEachIdWithItsLength() {
    VariantStats s = VariantStats.builder("home.hero", "flash-sale", null).exposures(1).build();

    assertThat(StatsFields.combination(s)).isEqualTo("9:home.hero10:flash-sale0:");
    assertThat(StatsFields.parse("9:home.hero10:flash-sale0:"))
        .isEqualTo(VariantStats.builder("home.hero", "flash-sale", null).build());
  }

  @Test
  void basesAndExperiments_areCombinationsOfTheirOwn_andOldCombinationsReadAsUnknown() {
    VariantStats arm =
        VariantStats.builder("home.banner", "b", "gifts")
            .basis(VariantChoice.Basis.EXPERIMENT)
            .experiment("banner-1")
            .build();
    VariantStats held =
        VariantStats.builder("home.banner", "b", "gifts")
            .basis(VariantChoice.Basis.HOLDOUT)
            .build();

    assertThat(StatsFields.combination(arm))
        .isEqualTo("11:home.banner1:b5:gifts10:experiment8:banner-1");
    assertThat(StatsFields.combination(held)).isEqualTo("11:home.banner1:b5:gifts7:holdout0:");
    assertThat(StatsFields.parse(StatsFields.combination(arm))).isEqualTo(arm);
    assertThat(StatsFields.parse(StatsFields.combination(held))).isEqualTo(held);
    Map<String, VariantStats> totals = StatsFields.newTotals();
    assertThat(StatsFields.read("11:home.banner1:b5:gifts|e", "3", totals)).isTrue();
    assertThat(StatsFields.read(StatsFields.combination(arm) + "|e", "5", totals)).isTrue();
    assertThat(StatsFields.read("11:home.banner1:b5:gifts8:inferred0:|e", "1", totals))
        .as("a basis of a later version")
        .isFalse();
    assertThat(totals.values())
        .containsExactlyInAnyOrder(
            VariantStats.builder("home.banner", "b", "gifts").exposures(3).build(),
            VariantStats.builder("home.banner", "b", "gifts")
                .basis(VariantChoice.Basis.EXPERIMENT)
                .experiment("banner-1")
                .exposures(5)
                .build());
  }

  @Test
  void read_sumsTheCountsOfACombination() {
    Map<String, VariantStats> totals = StatsFields.newTotals();
    String c = "1:p1:v3:a|b";

    assertThat(StatsFields.read(c + "|", "1", totals)).isTrue();
    assertThat(StatsFields.read(c + "|e", "5", totals)).isTrue();
    assertThat(StatsFields.read(c + "|p", "2", totals)).isTrue();
    assertThat(StatsFields.read(c + "|v", "19.5", totals)).isTrue();
    assertThat(StatsFields.read("#", "1", totals)).isTrue();

    assertThat(totals.values())
        .containsExactly(
            VariantStats.builder("p", "v", "a|b").exposures(5).purchases(2).value(19.5).build());
  }

  @Test
  void read_refusesWhatItDidNotWrite() {
    Map<String, VariantStats> totals = StatsFields.newTotals();

    assertThat(StatsFields.read("nonsense", "1", totals)).isFalse();
    assertThat(StatsFields.read("1:p1:v0:|x", "1", totals)).isFalse();
    assertThat(StatsFields.read("1:p1:v0:|e", "many", totals)).isFalse();
    assertThat(StatsFields.read("1:p1:v0:|v", "inf", totals)).isFalse();
    assertThat(StatsFields.read("9:p1:v0:|e", "1", totals)).isFalse();
    assertThat(StatsFields.read("1:p1:v0:extra|e", "1", totals)).isFalse();
    assertThat(StatsFields.read("-1:p1:v0:|e", "1", totals)).isFalse();
    assertThat(totals).isEmpty();
  }
}
