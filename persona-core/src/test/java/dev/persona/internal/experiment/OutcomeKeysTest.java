package dev.persona.internal.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Outcome;
import org.junit.jupiter.api.Test;

final class OutcomeKeysTest {

  @Test
  void theIdOfACreditedEvent_hasTheStoreIdOfTheOrderItCameFrom() {
    long[] order = OutcomeKeys.digest("order-7");
    String credited = OutcomeKeys.eventId(order[0], order[1]);

    assertThat(credited).matches("event:[0-9a-f]{32}").doesNotContain("order-7");
    assertThat(OutcomeKeys.of(Outcome.Kind.PURCHASE, "home.hero", credited))
        .isEqualTo(OutcomeKeys.of(Outcome.Kind.PURCHASE, "home.hero", "order-7"))
        .isEqualTo(OutcomeKeys.of(Outcome.Kind.PURCHASE, "home.hero", order[0], order[1]));
  }

  @Test
  void anIdThatOnlyLooksLikeAnEventsId_isDigestedAsAnyOther() {
    long[] parsed = {0xababababababababL, 0xababababababababL};

    assertThat(OutcomeKeys.digest("event:" + "ab".repeat(16))).isEqualTo(parsed);
    assertThat(OutcomeKeys.digest("event:" + "AB".repeat(16))).isNotEqualTo(parsed);
    assertThat(OutcomeKeys.digest("event:" + "ab".repeat(15))[0]).isNotEqualTo(parsed[0]);
    assertThat(OutcomeKeys.digest("Event:" + "ab".repeat(16))).isNotEqualTo(parsed);
  }
}
