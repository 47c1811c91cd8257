package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.config.ContextConfig;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.ExtensionConfig;
import dev.persona.config.GiftingCalendar;
import dev.persona.config.Limits;
import dev.persona.config.SessionConfig;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The defaults README.md's configuration table states are the configurations' defaults. */
final class ReadmeDefaultsTest {

  @Test
  void sessions_inMemory_100000_30IdleMinutes_halfLife1h() {
    SessionConfig d = SessionConfig.defaults();

    assertThat(d.store()).isNull();
    assertThat(d.maxSessions()).isEqualTo(100_000);
    assertThat(d.idleTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(d.halfLife()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void context_utc_cdnGeoHeaders_defaultGiftingCalendar() {
    ContextConfig d = ContextConfig.defaults();

    assertThat(d.timeZone()).isEqualTo(ZoneOffset.UTC);
    assertThat(d.geoHeaders()).contains("CF-IPCountry", "CloudFront-Viewer-Country");
    assertThat(d.giftingCalendar()).isEqualTo(GiftingCalendar.defaults());
  }

  @Test
  void experiments_noHoldout_statisticsInMemory_30MinuteAttribution() {
    ExperimentConfig d = ExperimentConfig.defaults();

    assertThat(d.holdout()).isZero();
    assertThat(d.statsStore()).isNull();
    assertThat(d.attributionWindow()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void extensions_none_50MillisecondsPerCall() {
    ExtensionConfig d = ExtensionConfig.defaults();

    assertThat(d.extractors()).isEmpty();
    assertThat(d.listeners()).isEmpty();
    assertThat(d.callTimeout()).isEqualTo(Duration.ofMillis(50));
    assertThat(d.statsStoreTimeout()).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void limits_100EventsPerVisit_stringsOf256Characters() {
    Limits d = Limits.defaults();

    assertThat(d.maxEventsPerVisit()).isEqualTo(100);
    assertThat(d.maxStringLength()).isEqualTo(256);
  }
}
