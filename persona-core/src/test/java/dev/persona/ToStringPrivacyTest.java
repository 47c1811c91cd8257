package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.config.ExperimentConfig;
import dev.persona.config.ExtensionConfig;
import dev.persona.config.SessionConfig;
import dev.persona.ruleset.Experiment;
import dev.persona.ruleset.Experiment.Arm;
import dev.persona.ruleset.Optimization;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import dev.persona.spi.SignalExtractor;
import dev.persona.spi.SignalSink;
import dev.persona.spi.StatsStore;
import dev.persona.testing.MutableClock;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * No {@code toString} of a public type shows an id: every public type of the exported packages
 * either has an instance here, made from a request whose session id, user id, order id, outcome id
 * and decision id are planted, or is listed as holding nothing a request brings (settings, rule-set
 * content, or interfaces only a caller implements). A new public type fails the test until it is
 * one or the other.
 */
final class ToStringPrivacyTest {
  private static final String SESSION = "planted-session-7f3a";
  private static final String USER = "planted-user-91c2";
  private static final String ORDER = "planted-order-5d0e";
  private static final String OUTCOME_ID = "planted-outcome-b4e8";

  /** Public types that hold no request data: rule-set content, settings, a caller's own types. */
  private static final Set<String> HOLD_NO_REQUEST_DATA =
      Set.of(
          // settings
          "dev.persona.config.ContextConfig",
          "dev.persona.config.ContextConfig$Builder",
          "dev.persona.config.ExperimentConfig",
          "dev.persona.config.ExperimentConfig$Builder",
          "dev.persona.config.ExtensionConfig",
          "dev.persona.config.ExtensionConfig$Builder",
          "dev.persona.config.GiftingCalendar",
          "dev.persona.config.GiftingCalendar$Builder",
          "dev.persona.config.Vocabulary",
          "dev.persona.config.Vocabulary$Builder",
          "dev.persona.config.GiftingPeriod",
          "dev.persona.config.GiftingPeriod$Anchor",
          "dev.persona.config.GiftingPeriod$Days",
          "dev.persona.config.Limits",
          "dev.persona.config.Limits$Builder",
          "dev.persona.config.ProfileConfig",
          "dev.persona.config.ProfileConfig$Builder",
          "dev.persona.config.PredictionConfig",
          "dev.persona.config.PredictionConfig$Builder",
          "dev.persona.config.SessionConfig",
          "dev.persona.config.SessionConfig$Builder",
          // rule-set content, as written by the rule set's author
          "dev.persona.SignalSpec",
          "dev.persona.ruleset.Assignment",
          "dev.persona.ruleset.Condition",
          "dev.persona.ruleset.Condition$All",
          "dev.persona.ruleset.Condition$Any",
          "dev.persona.ruleset.Condition$Between",
          "dev.persona.ruleset.Condition$Compare",
          "dev.persona.ruleset.Condition$CompareSignals",
          "dev.persona.ruleset.Condition$Exists",
          "dev.persona.ruleset.Condition$In",
          "dev.persona.ruleset.Condition$Not",
          "dev.persona.ruleset.Condition$SetSize",
          "dev.persona.ruleset.Condition$Text",
          "dev.persona.ruleset.Experiment",
          "dev.persona.ruleset.Experiment$Arm",
          "dev.persona.ruleset.Ids",
          "dev.persona.ruleset.Optimization",
          "dev.persona.ruleset.Persona",
          "dev.persona.ruleset.Placement",
          "dev.persona.ruleset.Rule",
          "dev.persona.ruleset.Rule$Builder",
          "dev.persona.ruleset.RuleSet",
          "dev.persona.ruleset.RuleSet$Builder",
          "dev.persona.ruleset.RuleSetException",
          "dev.persona.ruleset.RuleSetException$Problem",
          "dev.persona.ruleset.Variant",
          "dev.persona.ruleset.Variant$Builder",
          // fitted models: parameters of the whole customer base, no customer's
          "dev.persona.prediction.BgNbd",
          "dev.persona.prediction.GammaGamma",
          // implemented or thrown by a caller's extension only, with the caller's own text
          "dev.persona.spi.DecisionListener",
          "dev.persona.spi.SignalExtractor",
          "dev.persona.spi.SessionStoreException");

  @Test
  void noPublicTypesToString_showsAnId() throws Exception {
    List<Object> seen = new ArrayList<>();
    List<Object> shown = instancesFromOneRequest(seen);

    Set<String> ids = new TreeSet<>(List.of(SESSION, USER, ORDER, OUTCOME_ID));
    ids.add(((Decision) shown.get(0)).id());
    for (Object o : shown) {
      assertThat(o.toString()).as("toString of %s", o.getClass().getName()).doesNotContain(ids);
    }
    for (Object o : seen) {
      assertThat(o.toString()).as("toString of %s", o.getClass().getName()).doesNotContain(ids);
    }

    List<Object> all = new ArrayList<>(shown);
    all.addAll(seen);
    Set<String> unchecked = new TreeSet<>();
    for (Class<?> type : publicTypes()) {
      boolean covered =
          type.isEnum()
              || HOLD_NO_REQUEST_DATA.contains(type.getName())
              || all.stream().anyMatch(type::isInstance);
      if (!covered) {
        unchecked.add(type.getName());
      }
    }
    assertThat(unchecked)
        .as("public types neither checked here nor listed as holding no request data")
        .isEmpty();
  }

  /**
   * Returns what one request with planted ids makes, the decision first; {@code seen} receives what
   * the engine hands a custom store and extractor.
   */
  private static List<Object> instancesFromOneRequest(List<Object> seen) {
    RuleSet rules =
        TestRules.builder()
            .placement(
                Placement.of(
                        "home.banner",
                        Variant.builder("a").build(),
                        Variant.builder("b").build(),
                        Variant.builder("control").asDefault().build())
                    .withExperiment(Experiment.of("banner-1", Arm.of("a", 50), Arm.of("b", 50))))
            .placement(
                Placement.of(
                        "home.tiles",
                        Variant.builder("deals").build(),
                        Variant.builder("popular").asDefault().build())
                    .optimized(Optimization.DEFAULTS))
            .build();
    SessionStore inner = SessionStore.inMemory(100, Duration.ofMinutes(30));
    SessionStore watched =
        new SessionStore() {
          @Override
          public @Nullable SessionState get(String sessionId) {
            SessionState s = inner.get(sessionId);
            if (s != null) {
              seen.add(s);
            }
            return s;
          }

          @Override
          public @Nullable SessionState update(
              String sessionId, UnaryOperator<@Nullable SessionState> change) {
            if (change instanceof SessionStore.Change told) {
              seen.add(told); // the change of the visit with a purchase
            }
            SessionState s = inner.update(sessionId, change);
            if (s != null) {
              seen.add(s);
            }
            return s;
          }

          @Override
          public void remove(String sessionId) {
            inner.remove(sessionId);
          }
        };
    StatsStore stats = StatsStore.inMemory(1_000);
    SignalExtractor extractor =
        new SignalExtractor() {
          @Override
          public String name() {
            return "watcher";
          }

          @Override
          public List<SignalSpec> signals() {
            return List.of();
          }

          @Override
          public void extract(Visit visit, ZonedDateTime localTime, SignalSink sink) {
            seen.add(sink);
          }
        };
    PersonaEngine.Builder engineBuilder =
        PersonaEngine.builder()
            .ruleSet(rules)
            .clock(new MutableClock(Instant.parse("2026-11-10T12:00:00Z")))
            .sessions(SessionConfig.store(watched).build())
            .experiments(ExperimentConfig.builder().holdout(0.05).statsStore(stats).build())
            .extensions(ExtensionConfig.builder().extractor(extractor).build());
    PersonaEngine engine = engineBuilder.build();

    Event.Builder eventBuilder =
        Event.builder("purchase").attribute("order_id", ORDER).attribute("value", 59.9);
    Event purchase = eventBuilder.build();
    Visit.Builder visitBuilder =
        Visit.builder(SESSION)
            .userId(USER)
            .header(
                "User-Agent",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
                    + " Chrome/120.0.0.0 Safari/537.36")
            .header("Cookie", "sid=" + SESSION)
            .query("gclid", SESSION)
            .declared("priority", "price")
            .event(Event.builder("product_view").attribute("product_id", USER).build())
            .event(purchase);
    Visit visit = visitBuilder.build();
    engine.decide(visit);
    Decision decision = engine.decide(visit);

    List<Object> shown = new ArrayList<>();
    shown.add(decision);
    shown.addAll(decision.variants().values());
    shown.addAll(decision.reasons());
    shown.addAll(decision.signals());
    VariantChoice hero = decision.variant("home.hero");
    Outcome.Builder outcomeBuilder =
        Outcome.builder(Outcome.Kind.PURCHASE, SESSION, hero).value(59.9).id(OUTCOME_ID);
    shown.add(outcomeBuilder);
    for (VariantChoice c : decision.variants().values()) {
      Outcome outcome = Outcome.shown(SESSION, c);
      engine.recordOutcome(outcome);
      shown.add(outcome);
    }
    Outcome bought = outcomeBuilder.build();
    engine.recordOutcome(bought);
    shown.add(bought);
    shown.add(Outcome.builder(Outcome.Kind.CLICK, SESSION, "home.hero", "x").id(ORDER).build());
    shown.addAll(List.of(visit, visitBuilder, purchase, eventBuilder, engine, engineBuilder));
    shown.add(engine.stats());
    shown.add(engine.inspect(SESSION));
    shown.addAll(engine.variantStats());
    shown.addAll(engine.experimentReadings());
    engine.close();
    // what the engine wrote behind, once it has
    shown.add(inner.get(SESSION));
    shown.add(inner);
    List<VariantStats> counted = stats.snapshot();
    for (VariantStats v : counted) {
      shown.add(v);
      if (v.discounted() != null) {
        shown.add(v.discounted());
      }
    }
    shown.addAll(VariantEstimate.of(counted, Outcome.Kind.PURCHASE));
    shown.addAll(HoldoutLift.of(counted, Outcome.Kind.PURCHASE));
    shown.add(stats);
    // builders of output values, as a store or a test fills them
    shown.add(
        VariantChoice.builder("home.hero", "x", VariantChoice.Basis.PERSONA)
            .decisionId(decision.id()));
    shown.add(VariantStats.builder("home.hero", "x", null));
    shown.add(EngineStats.builder());
    shown.add(
        SessionSnapshot.builder(Instant.EPOCH)
            .declared("note", SESSION)
            .arm(USER, ORDER)
            .viewed(USER)
            .inCart(ORDER)
            .category(SESSION, 1)
            .brand(USER, 1)
            .sessions(3));
    shown.add(DiscountedCounts.one(Outcome.Kind.CLICK, 1_000, 24));
    shown.add(Reason.builder(Reason.Kind.SCORE, "text"));
    return shown;
  }

  /** The public types of the exported packages, nested ones included. */
  private static List<Class<?>> publicTypes() throws Exception {
    Path classes =
        Path.of(PersonaEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Class<?>> types = new ArrayList<>();
    for (String pkg :
        List.of(
            "dev/persona",
            "dev/persona/config",
            "dev/persona/prediction",
            "dev/persona/ruleset",
            "dev/persona/spi")) {
      try (Stream<Path> files = Files.list(classes.resolve(pkg))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
          String file = f.getFileName().toString();
          if (file.equals("package-info.class") || file.equals("module-info.class")) {
            continue;
          }
          Class<?> type =
              Class.forName(pkg.replace('/', '.') + "." + file.substring(0, file.length() - 6));
          if (isPublic(type)) {
            types.add(type);
          }
        }
      }
    }
    return types;
  }

  private static boolean isPublic(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
      if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass()) {
        return false;
      }
    }
    return true;
  }
}
