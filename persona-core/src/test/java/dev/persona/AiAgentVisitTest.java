package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.config.SessionConfig;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.testing.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * An AI agent browsing and shopping for a person (ChatGPT-User, Claude-User, Amazon's Buy for Me):
 * a bot, told apart from crawlers by {@code bot_kind}, which rules can target, and treated as every
 * bot is: its events change no session and its choices count in no statistics.
 */
final class AiAgentVisitTest {

  private static final String CHATGPT_USER =
      "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ChatGPT-User/1.0;"
          + " +https://openai.com/bot";
  private static final String GPTBOT =
      "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2;"
          + " +https://openai.com/gptbot)";
  private static final String IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
          + " Gecko) Version/18.6 Mobile/15E148 Safari/604.1";

  private static final RuleSet RULES =
      TestRules.builder()
          .placement(
              Placement.of(
                  "pdp.summary",
                  Variant.builder("structured-facts")
                      .when(Condition.eq("bot_kind", "ai_agent"))
                      .build(),
                  Variant.builder("story").asDefault().build()))
          .build();

  private final PersonaEngine engine =
      PersonaEngine.builder()
          .ruleSet(RULES)
          .clock(new MutableClock(Instant.parse("2026-11-10T12:00:00Z")))
          .sessions(SessionConfig.inMemory(1_000).build())
          .build();

  @Test
  void anAgentsVisit_isABotOfKindAiAgent_thatRulesTarget_andThatLeavesNoTrace() {
    Decision agent =
        engine.decide(
            Visit.builder("shared-session")
                .header("User-Agent", CHATGPT_USER)
                .event(Event.builder("product_view").attribute("product", "sku-1").build())
                .event(Event.builder("add_to_cart").attribute("product", "sku-1").build())
                .build());

    assertThat(agent.signal("device").value()).isEqualTo("bot");
    assertThat(agent.signal("bot_kind").value()).isEqualTo("ai_agent");
    assertThat(agent.signal("os")).isNull();
    assertThat(agent.variant("pdp.summary").variant()).isEqualTo("structured-facts");
    assertThat(agent.variant("pdp.summary").counted()).isFalse();

    // the agent's views and cart are not the session's: the person's next visit sees none of it
    Decision person =
        engine.decide(Visit.builder("shared-session").header("User-Agent", IPHONE).build());
    assertThat(person.signal("bot_kind")).isNull();
    assertThat(person.signal("product_views")).isNull();
    assertThat(person.signal("cart_items")).isNull();
    assertThat(person.signal("requests").value()).isEqualTo(1.0);
    assertThat(person.variant("pdp.summary").variant()).isEqualTo("story");
    assertThat(person.variant("pdp.summary").counted()).isTrue();
  }

  @Test
  void anAiTrainingCrawler_isACrawler_notAnAgent() {
    Decision crawler = engine.decide(Visit.builder("crawl").header("User-Agent", GPTBOT).build());

    assertThat(crawler.signal("device").value()).isEqualTo("bot");
    assertThat(crawler.signal("bot_kind").value()).isEqualTo("crawler");
    assertThat(crawler.variant("pdp.summary").variant()).isEqualTo("story");
  }
}
