package dev.persona.openfeature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventDetails;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.Hook;
import dev.openfeature.sdk.HookContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.MutableTrackingEventDetails;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.VariantChoice;
import dev.persona.VariantStats;
import dev.persona.Visit;
import dev.persona.config.SessionConfig;
import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Experiment;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import dev.persona.spi.SessionStoreException;
import dev.persona.testing.CapturedLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider as an application sees it: through the OpenFeature SDK's public API only. */
final class PersonaProviderTest {
  private static final String SESSION = "sess-7f3a9c1e";
  private static final AtomicInteger DOMAINS = new AtomicInteger();

  private final OpenFeatureAPI api = OpenFeatureAPI.getInstance();
  private final String domain = "persona-test-" + DOMAINS.incrementAndGet();

  @AfterEach
  void releaseDomain() {
    api.setProviderAndWait(domain, new NoOpProvider()); // shuts the Persona provider down
  }

  static RuleSet rules(String version) {
    return RuleSet.builder(version)
        .persona(new Persona("gift_giver", "Gift giver", 0.5))
        .persona(new Persona("loyal", "Loyal customer", 0.5))
        .rule(
            Rule.builder("gifting")
                .when(Condition.eq("shopping_for_gift", true))
                .add("gift_giver", 0.8)
                .build())
        .rule(Rule.builder("orders").when(Condition.gte("orders", 3)).add("loyal", 0.7).build())
        .placement(
            Placement.of(
                "home.hero",
                Variant.builder("gift-guide")
                    .targets("gift_giver")
                    .content(Map.of("title", "Gift guide", "tiles", 3))
                    .build(),
                Variant.builder("new-season").asDefault().content("New season").build()))
        .placement(
            Placement.of(
                "home.banner",
                Variant.builder("free-shipping").targets("loyal").content(true).build(),
                Variant.builder("none").asDefault().content(false).build()))
        .placement(
            Placement.of(
                "search.page_size",
                Variant.builder("long").targets("loyal").content(48).build(),
                Variant.builder("short").asDefault().content(24).build()))
        .placement(
            Placement.of(
                    "checkout.cta",
                    Variant.builder("green").build(),
                    Variant.builder("blue").build(),
                    Variant.builder("grey").asDefault().build())
                .withExperiment(
                    Experiment.of(
                        "cta-colour",
                        Experiment.Arm.of("green", 50),
                        Experiment.Arm.of("blue", 50))))
        .build();
  }

  private final PersonaEngine engine = PersonaEngine.builder().ruleSet(rules("2026-12-01")).build();

  private Client client(PersonaProvider provider) {
    api.setProviderAndWait(domain, provider);
    return api.getClient(domain);
  }

  private static EvaluationContext context(Map<String, Value> attributes) {
    return context(SESSION, attributes);
  }

  private static EvaluationContext context(String session, Map<String, Value> attributes) {
    return new ImmutableContext(session, attributes);
  }

  private static final EvaluationContext GIFT_SHOPPER =
      context(
          "sess-gift-51c2",
          Map.of(
              "header.User-Agent", new Value("Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"),
              "declared.shopping_for_gift", new Value(true)));

  private static final EvaluationContext LOYAL =
      context(
          "sess-loyal-9d0e", Map.of("profile.orders", new Value(5), "requestId", new Value("r-1")));

  private static final EvaluationContext ANONYMOUS = new ImmutableContext("sess-anon-44aa");

  @Test
  void stringEvaluation_answersTheVariantId_withReasonAndMetadata() {
    Client client = client(PersonaProvider.of(engine));

    FlagEvaluationDetails<String> d =
        client.getStringDetails("home.hero", "fallback", GIFT_SHOPPER);

    assertThat(d.getValue()).isEqualTo("gift-guide");
    assertThat(d.getVariant()).isEqualTo("gift-guide");
    assertThat(d.getReason()).isEqualTo(Reason.TARGETING_MATCH.name());
    assertThat(d.getErrorCode()).isNull();
    assertThat(d.getFlagMetadata().getString("basis")).isEqualTo("persona");
    assertThat(d.getFlagMetadata().getString("persona")).isEqualTo("gift_giver");
    assertThat(d.getFlagMetadata().getString("ruleSetVersion")).isEqualTo("2026-12-01");
  }

  @Test
  void aVisitorNoRuleMatches_getsTheDefaultVariant_withReasonDefault() {
    Client client = client(PersonaProvider.of(engine));

    FlagEvaluationDetails<String> d = client.getStringDetails("home.hero", "fallback", ANONYMOUS);

    assertThat(d.getValue()).isEqualTo("new-season");
    assertThat(d.getReason()).isEqualTo(Reason.DEFAULT.name());
    assertThat(d.getFlagMetadata().getString("basis")).isEqualTo("default");
    assertThat(d.getFlagMetadata().getString("persona")).isNull();
  }

  @Test
  void objectEvaluation_answersTheContent() {
    Client client = client(PersonaProvider.of(engine));

    Value hero = client.getObjectValue("home.hero", new Value("fallback"), GIFT_SHOPPER);
    Value plain = client.getObjectValue("home.hero", new Value("fallback"), ANONYMOUS);

    assertThat(hero.asStructure().getValue("title").asString()).isEqualTo("Gift guide");
    assertThat(hero.asStructure().getValue("tiles").asInteger()).isEqualTo(3);
    assertThat(plain.asString()).isEqualTo("New season");
  }

  @Test
  void objectEvaluation_ofARuleFilesJsonContent_answersItAsAStructure() {
    String json =
        """
        {"version": "f1",
         "personas": [{"id": "gift_giver", "name": "Gift giver", "threshold": 0.5}],
         "rules": [{"id": "gifting", "when": {"signal": "shopping_for_gift", "eq": true},
                    "add": {"gift_giver": 0.8}}],
         "placements": [{"id": "home.hero", "variants": [
           {"id": "gift-guide", "targets": ["gift_giver"],
            "content": {"title": "Gifts \\u00e0 la carte", "tiles": [1, 2.5], "live": true,
                        "note": null}},
           {"id": "new-season", "default": true}]}]}
        """;
    PersonaEngine fromFile =
        PersonaEngine.builder().ruleSet(RuleSetReader.create().read(json, "f1.json")).build();
    Client client = client(PersonaProvider.of(fromFile));

    FlagEvaluationDetails<Value> d =
        client.getObjectDetails("home.hero", new Value("fallback"), GIFT_SHOPPER);
    FlagEvaluationDetails<Value> none =
        client.getObjectDetails("home.hero", new Value("fallback"), ANONYMOUS);

    assertThat(d.getErrorCode()).isNull();
    var content = d.getValue().asStructure();
    assertThat(content.getValue("title").asString()).isEqualTo("Gifts à la carte");
    assertThat(content.getValue("tiles").asList())
        .extracting(Value::asObject)
        .containsExactly(1, 2.5);
    assertThat(content.getValue("live").asBoolean()).isTrue();
    assertThat(content.getValue("note").isNull()).isTrue();
    // a variant without content answers the caller's default, without an error
    assertThat(none.getValue().asString()).isEqualTo("fallback");
    assertThat(none.getVariant()).isEqualTo("new-season");
    assertThat(none.getErrorCode()).isNull();
  }

  @Test
  void booleanIntegerAndDoubleEvaluations_answerContentOfThatType() {
    Client client = client(PersonaProvider.of(engine));

    assertThat(client.getBooleanValue("home.banner", false, LOYAL)).isTrue();
    assertThat(client.getBooleanValue("home.banner", true, ANONYMOUS)).isFalse();
    assertThat(client.getIntegerValue("search.page_size", 10, LOYAL)).isEqualTo(48);
    assertThat(client.getIntegerValue("search.page_size", 10, ANONYMOUS)).isEqualTo(24);
    assertThat(client.getDoubleValue("search.page_size", 1.5, LOYAL)).isEqualTo(48.0);
  }

  @Test
  void contentOfAnotherType_answersTypeMismatch_andTheCallersDefault() {
    Client client = client(PersonaProvider.of(engine));

    FlagEvaluationDetails<Boolean> b = client.getBooleanDetails("home.hero", true, GIFT_SHOPPER);
    FlagEvaluationDetails<Integer> i = client.getIntegerDetails("home.banner", 7, LOYAL);
    FlagEvaluationDetails<Double> n = client.getDoubleDetails("home.hero", 0.5, ANONYMOUS);

    assertThat(b.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(b.getValue()).isTrue();
    assertThat(b.getReason()).isEqualTo(Reason.ERROR.name());
    assertThat(i.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(i.getValue()).isEqualTo(7);
    assertThat(n.getErrorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    assertThat(n.getValue()).isEqualTo(0.5);
  }

  @Test
  void anExperimentsArm_isASplit_namingTheExperiment() {
    Client client = client(PersonaProvider.of(engine));

    FlagEvaluationDetails<String> d = client.getStringDetails("checkout.cta", "grey", ANONYMOUS);

    assertThat(d.getValue()).isIn("green", "blue");
    assertThat(d.getReason()).isEqualTo(Reason.SPLIT.name());
    assertThat(d.getFlagMetadata().getString("basis")).isEqualTo("experiment");
    assertThat(d.getFlagMetadata().getString("experiment")).isEqualTo("cta-colour");
  }

  @Test
  void everyBasis_hasAReason() {
    Map<VariantChoice.Basis, String> reasons = new HashMap<>();
    for (VariantChoice.Basis b : VariantChoice.Basis.values()) {
      reasons.put(b, PersonaProvider.reason(VariantChoice.builder("p", "v", b).build()));
    }

    assertThat(reasons)
        .containsEntry(VariantChoice.Basis.PERSONA, "TARGETING_MATCH")
        .containsEntry(VariantChoice.Basis.CONDITION, "TARGETING_MATCH")
        .containsEntry(VariantChoice.Basis.FORCED, "TARGETING_MATCH")
        .containsEntry(VariantChoice.Basis.EXPERIMENT, "SPLIT")
        .containsEntry(VariantChoice.Basis.OPTIMIZED, "SPLIT")
        .containsEntry(VariantChoice.Basis.HOLDOUT, "SPLIT")
        .containsEntry(VariantChoice.Basis.DEFAULT, "DEFAULT");
  }

  @Test
  void anUnknownPlacement_answersFlagNotFound_andTheCallersDefault() {
    Client client = client(PersonaProvider.of(engine));

    FlagEvaluationDetails<String> d = client.getStringDetails("nope", "fallback", GIFT_SHOPPER);

    assertThat(d.getValue()).isEqualTo("fallback");
    assertThat(d.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    assertThat(d.getReason()).isEqualTo(Reason.ERROR.name());
  }

  @Test
  void aContextWithoutTargetingKey_answersTargetingKeyMissing() {
    Client client = client(PersonaProvider.of(engine));
    EvaluationContext noKey = new ImmutableContext(Map.of("declared.priority", new Value("fast")));

    FlagEvaluationDetails<String> d = client.getStringDetails("home.hero", "fallback", noKey);

    assertThat(d.getValue()).isEqualTo("fallback");
    assertThat(d.getErrorCode()).isEqualTo(ErrorCode.TARGETING_KEY_MISSING);
  }

  @Test
  void anAttributeOfTheWrongType_answersInvalidContext_namingNoValue() {
    Client client = client(PersonaProvider.of(engine));
    EvaluationContext bad = context(Map.of("header.User-Agent", new Value(42)));
    EvaluationContext badUser = context(Map.of("userId", new Value(true)));

    FlagEvaluationDetails<String> d = client.getStringDetails("home.hero", "fallback", bad);
    FlagEvaluationDetails<Value> o =
        client.getObjectDetails("home.hero", new Value("fallback"), badUser);

    assertThat(d.getValue()).isEqualTo("fallback");
    assertThat(d.getErrorCode()).isEqualTo(ErrorCode.INVALID_CONTEXT);
    assertThat(d.getErrorMessage())
        .contains("header.*")
        .doesNotContain(SESSION)
        .doesNotContain("42");
    assertThat(o.getValue().asString()).isEqualTo("fallback");
    assertThat(o.getErrorCode()).isEqualTo(ErrorCode.INVALID_CONTEXT);
  }

  @Test
  void aSessionIdTheEngineRefuses_answersInvalidContext() {
    Client client = client(PersonaProvider.of(engine));
    EvaluationContext tooLong = new ImmutableContext("s".repeat(10_000));

    FlagEvaluationDetails<String> d = client.getStringDetails("home.hero", "fallback", tooLong);

    assertThat(d.getValue()).isEqualTo("fallback");
    assertThat(d.getErrorCode()).isEqualTo(ErrorCode.INVALID_CONTEXT);
  }

  @Test
  void theProviderCalledDirectly_neverThrows() {
    PersonaProvider provider = PersonaProvider.of(engine);

    ProviderEvaluation<String> nullContext = provider.getStringEvaluation("home.hero", "d", null);
    ProviderEvaluation<String> nullKey = provider.getStringEvaluation(null, "d", GIFT_SHOPPER);

    assertThat(nullContext.getErrorCode()).isEqualTo(ErrorCode.TARGETING_KEY_MISSING);
    assertThat(nullContext.getValue()).isEqualTo("d");
    assertThat(nullKey.getErrorCode()).isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    provider.track("exposure", null, null); // dropped, not thrown
    provider.track("exposure", GIFT_SHOPPER, new MutableTrackingEventDetails(-1.0));
    assertThat(engine.stats().outcomes()).isZero();
  }

  @Test
  void hooks_seeTheFlagMetadata() {
    List<ImmutableMetadata> seen = new ArrayList<>();
    Client client = client(PersonaProvider.of(engine));
    client.addHooks(
        new Hook<Object>() {
          @Override
          public void after(
              HookContext<Object> ctx,
              FlagEvaluationDetails<Object> details,
              Map<String, Object> hints) {
            seen.add(details.getFlagMetadata());
          }
        });

    client.getStringValue("home.hero", "fallback", GIFT_SHOPPER);
    client.getBooleanValue("home.banner", false, LOYAL);

    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).getString("basis")).isEqualTo("persona");
    assertThat(seen.get(0).getString("persona")).isEqualTo("gift_giver");
    assertThat(seen.get(1).getString("persona")).isEqualTo("loyal");
  }

  @Test
  void evaluationsOfEqualContexts_shareOneDecision() {
    Client client = client(PersonaProvider.of(engine));

    client.getStringValue("home.hero", "d", GIFT_SHOPPER);
    client.getBooleanValue("home.banner", false, GIFT_SHOPPER);
    client.getObjectValue("home.hero", new Value(), GIFT_SHOPPER);
    long afterOnePage = engine.stats().decisions();
    client.getStringValue("home.hero", "d", LOYAL); // another request: another decision

    assertThat(afterOnePage).isEqualTo(1);
    assertThat(engine.stats().decisions()).isEqualTo(2);
  }

  @Test
  void withoutReuse_eachEvaluationIsOneDecide() {
    Client client = client(PersonaProvider.builder(engine).decisionReuse(Duration.ZERO).build());

    client.getStringValue("home.hero", "d", GIFT_SHOPPER);
    client.getStringValue("home.hero", "d", GIFT_SHOPPER);

    assertThat(engine.stats().decisions()).isEqualTo(2);
  }

  @Test
  void tracking_recordsTheOutcomeOfTheContextsDecision_once() {
    Client client = client(PersonaProvider.of(engine));
    client.getStringValue("home.hero", "d", GIFT_SHOPPER);

    client.track(
        "exposure", GIFT_SHOPPER, new MutableTrackingEventDetails().add("placement", "home.hero"));
    client.track( // rendered twice, still one exposure: the id comes from the decision
        "exposure", GIFT_SHOPPER, new MutableTrackingEventDetails().add("placement", "home.hero"));
    client.track(
        "purchase",
        GIFT_SHOPPER,
        new MutableTrackingEventDetails(59.9).add("placement", "home.hero").add("id", "order-1"));

    VariantStats stats = stats("home.hero", "gift-guide");
    assertThat(engine.stats().outcomes()).isEqualTo(3);
    assertThat(stats.exposures()).isEqualTo(1);
    assertThat(stats.purchases()).isEqualTo(1);
    assertThat(stats.value()).isEqualTo(59.9);
    assertThat(stats.segment()).isEqualTo("gift_giver");
    assertThat(stats.basis()).isEqualTo(VariantChoice.Basis.PERSONA);
  }

  @Test
  void tracking_withoutTheDecision_takesTheChoiceFromTheDetails() {
    Client client = client(PersonaProvider.builder(engine).decisionReuse(Duration.ZERO).build());
    FlagEvaluationDetails<String> d = client.getStringDetails("home.hero", "d", GIFT_SHOPPER);

    client.track(
        "click",
        GIFT_SHOPPER,
        new MutableTrackingEventDetails()
            .add("placement", "home.hero")
            .add("variant", d.getVariant())
            .add("basis", d.getFlagMetadata().getString("basis"))
            .add("persona", d.getFlagMetadata().getString("persona")));

    VariantStats stats = stats("home.hero", "gift-guide");
    assertThat(stats.clicks()).isEqualTo(1);
    assertThat(stats.segment()).isEqualTo("gift_giver");
    assertThat(stats.basis()).isEqualTo(VariantChoice.Basis.PERSONA);
  }

  @Test
  void anExposureTrackedByItsDetails_withTheTrackingTheMetadataGave_isKeptForALaterPurchase() {
    // the decision's own change does not reach the store (as when it waits in a shared store's
    // queue): the exposure, tracked, makes the session's state, and the purchase is credited to it
    SessionStore memory = SessionStore.inMemory(100, Duration.ofMinutes(30));
    AtomicInteger updates = new AtomicInteger();
    SessionStore firstWriteWaits =
        new SessionStore() {
          @Override
          public @Nullable SessionState get(String sessionId) {
            return memory.get(sessionId);
          }

          @Override
          public @Nullable SessionState update(
              String sessionId, UnaryOperator<@Nullable SessionState> change) {
            if (updates.getAndIncrement() == 0) {
              throw new SessionStoreException("waits", null, null);
            }
            return memory.update(sessionId, change);
          }

          @Override
          public void remove(String sessionId) {
            memory.remove(sessionId);
          }
        };
    PersonaEngine shared =
        PersonaEngine.builder()
            .ruleSet(rules("2026-12-01"))
            .sessions(SessionConfig.store(firstWriteWaits).build())
            .build();
    Client client = client(PersonaProvider.builder(shared).decisionReuse(Duration.ZERO).build());
    FlagEvaluationDetails<String> d = client.getStringDetails("home.hero", "d", GIFT_SHOPPER);
    assertThat(d.getFlagMetadata().getBoolean("tracked")).isTrue();

    client.track(
        "exposure",
        GIFT_SHOPPER,
        new MutableTrackingEventDetails()
            .add("placement", "home.hero")
            .add("variant", d.getVariant())
            .add("basis", d.getFlagMetadata().getString("basis"))
            .add("persona", d.getFlagMetadata().getString("persona"))
            .add("tracked", d.getFlagMetadata().getBoolean("tracked")));
    shared.decide(
        Visit.builder(GIFT_SHOPPER.getTargetingKey())
            .event(Event.of("purchase", Map.of("value", 20.0)))
            .build());

    VariantStats stats =
        shared.variantStats().stream()
            .filter(v -> v.placement().equals("home.hero") && v.variant().equals(d.getVariant()))
            .findFirst()
            .orElseThrow();
    assertThat(stats.purchases()).isEqualTo(1);
    shared.close();
  }

  @Test
  void trackingEventsThatNameNoOutcome_areDropped() {
    Client client = client(PersonaProvider.of(engine));
    client.getStringValue("home.hero", "d", GIFT_SHOPPER);

    client.track("page_view", GIFT_SHOPPER, new MutableTrackingEventDetails());
    client.track("exposure", GIFT_SHOPPER, new MutableTrackingEventDetails());
    client.track("exposure", GIFT_SHOPPER); // no details: no placement
    client.track( // another context, no decision, no variant given
        "exposure", LOYAL, new MutableTrackingEventDetails().add("placement", "home.hero"));

    assertThat(engine.stats().outcomes()).isZero();
  }

  @Test
  void aReload_emitsConfigurationChanged_withThePlacementsAndTheVersion() throws Exception {
    BlockingQueue<EventDetails> events = new ArrayBlockingQueue<>(10);
    Client client = client(PersonaProvider.of(engine));
    client.onProviderConfigurationChanged(events::add);

    engine.reload(
        RuleSet.builder("2026-12-02")
            .placement(Placement.of("home.footer", Variant.builder("plain").asDefault().build()))
            .build());

    EventDetails e = events.poll(30, TimeUnit.SECONDS); // the reload thread looks every second
    assertThat(e).as("configuration-changed event").isNotNull();
    assertThat(e.getFlagsChanged())
        .contains("home.hero", "home.banner", "search.page_size", "checkout.cta", "home.footer");
    assertThat(e.getEventMetadata().getString("ruleSetVersion")).isEqualTo("2026-12-02");
    assertThat(client.getStringDetails("home.hero", "d", ANONYMOUS).getErrorCode())
        .isEqualTo(ErrorCode.FLAG_NOT_FOUND);
    assertThat(client.getStringValue("home.footer", "d", ANONYMOUS)).isEqualTo("plain");
  }

  @Test
  void withoutTheReloadThread_theNextEvaluationNoticesTheReload() throws Exception {
    BlockingQueue<EventDetails> events = new ArrayBlockingQueue<>(10);
    Client client =
        client(PersonaProvider.builder(engine).reloadCheckInterval(Duration.ZERO).build());
    client.onProviderConfigurationChanged(events::add);
    client.getStringValue("home.hero", "d", GIFT_SHOPPER);

    engine.reload(rules("2026-12-03"));
    String after = client.getStringValue("home.hero", "d", GIFT_SHOPPER);

    EventDetails e = events.poll(30, TimeUnit.SECONDS);
    assertThat(e).as("configuration-changed event").isNotNull();
    assertThat(e.getEventMetadata().getString("ruleSetVersion")).isEqualTo("2026-12-03");
    assertThat(after).isEqualTo("gift-guide");
    assertThat(engine.stats().decisions())
        .as("no decision of the old rule set reused")
        .isEqualTo(2);
    assertThat(events).isEmpty();
  }

  @Test
  void aDroppedTrackingEvent_isLoggedWithoutIdsOrValues() {
    PersonaProvider provider = PersonaProvider.of(engine);
    EvaluationContext ctx = context(Map.of("userId", new Value("user-5e1f")));

    String log =
        CapturedLog.during(
            () ->
                provider.track(
                    "exposure",
                    ctx,
                    new MutableTrackingEventDetails(-3.5)
                        .add("placement", "home.hero")
                        .add("variant", "gift-guide")
                        .add("id", "order-77c1")));

    assertThat(log).contains("tracking event dropped");
    assertThat(log).doesNotContain(SESSION, "user-5e1f", "order-77c1", "-3.5");
    assertThat(engine.stats().outcomes()).isZero();
  }

  @Test
  void toString_namesNoId() {
    PersonaProvider provider = PersonaProvider.of(engine);
    provider.getStringEvaluation("home.hero", "d", GIFT_SHOPPER);

    assertThat(provider.toString()).isEqualTo("PersonaProvider{ruleSet=2026-12-01}");
  }

  private VariantStats stats(String placement, String variant) {
    return engine.variantStats().stream()
        .filter(s -> s.placement().equals(placement) && s.variant().equals(variant))
        .findFirst()
        .orElseThrow();
  }
}
