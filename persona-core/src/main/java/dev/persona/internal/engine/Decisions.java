package dev.persona.internal.engine;

import dev.persona.ConsentMode;
import dev.persona.Decision;
import dev.persona.Reason;
import dev.persona.Signal;
import dev.persona.VariantChoice;
import dev.persona.internal.report.InputReport;
import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.internal.rules.Evaluation;
import dev.persona.internal.signals.RequestSignals;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Makes the engine's {@link Decision}s: a personalized one from an evaluation, or a default one.
 * {@code Decision}'s constructor is package-private, so that only the engine makes decisions; this
 * factory calls it through a method handle of the module's own private access. Thread-safe.
 */
final class Decisions {
  private static final MethodHandle CONSTRUCTOR = constructor();

  private Decisions() {}

  private static MethodHandle constructor() {
    try {
      return MethodHandles.privateLookupIn(Decision.class, MethodHandles.lookup())
          .findConstructor(
              Decision.class,
              MethodType.methodType(
                  void.class,
                  String.class,
                  String.class,
                  String[].class,
                  double[].class,
                  String.class,
                  String.class,
                  String.class,
                  Supplier.class,
                  VariantChoice[].class,
                  ConsentMode.class,
                  Supplier.class,
                  Set.class));
    } catch (ReflectiveOperationException e) {
      throw new LinkageError("Decision's constructor is not the one the engine calls", e);
    }
  }

  private static Decision make(
      String id,
      String ruleSetVersion,
      String[] personaIds,
      double[] scores,
      @Nullable String persona,
      @Nullable String lifecycle,
      @Nullable String stage,
      Supplier<List<Signal>> signals,
      VariantChoice[] choices,
      ConsentMode consent,
      Supplier<List<Reason>> explain,
      Set<Decision.Flag> flags) {
    try {
      return (Decision)
          CONSTRUCTOR.invokeExact(
              id,
              ruleSetVersion,
              personaIds,
              scores,
              persona,
              lifecycle,
              stage,
              signals,
              choices,
              consent,
              explain,
              flags);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("Decision's constructor threw a checked exception", e);
    }
  }

  /**
   * Returns the decision the rules made.
   *
   * @param id the decision's id, which its choices carry
   * @param limited why consent limited the signals used, or null when it did not
   */
  static Decision personalized(
      String id,
      CompiledRuleSet compiled,
      Evaluation e,
      RequestSignals signals,
      @Nullable Reason limited,
      InputReport report) {
    List<Reason> leading = leading(limited, report.reasons());
    return make(
        id,
        compiled.version(),
        compiled.personaIds(),
        e.scores(),
        e.persona(),
        e.lifecycle(),
        e.stage(),
        signals,
        e.choices(),
        limited == null ? ConsentMode.FULL : ConsentMode.REQUEST_ONLY,
        () -> {
          List<Reason> all = new ArrayList<>(leading);
          all.addAll(e.explain(signals.frame(compiled)));
          return all;
        },
        report.flags());
  }

  /**
   * Returns a default decision: every placement's default, for the reasons reported.
   *
   * @param id the decision's id, which its choices carry
   */
  static Decision fallback(String id, CompiledRuleSet compiled, InputReport report) {
    List<Reason> reasons = List.copyOf(report.reasons());
    VariantChoice[] defaults = compiled.defaults().clone();
    for (int i = 0; i < defaults.length; i++) {
      VariantChoice c = defaults[i];
      defaults[i] =
          VariantChoice.builder(c.placement(), c.variant(), c.basis())
              .content(c.content())
              .decisionId(id)
              .build();
    }
    return make(
        id,
        compiled.version(),
        compiled.personaIds(),
        new double[compiled.personaIds().length],
        null,
        null,
        null,
        List::of,
        defaults,
        ConsentMode.REQUEST_ONLY,
        () -> {
          List<Reason> all = new ArrayList<>(reasons);
          for (VariantChoice c : defaults) {
            all.add(
                Reason.builder(
                        Reason.Kind.VARIANT,
                        "placement " + c.placement() + ": default variant " + c.variant())
                    .source(c.placement())
                    .build());
          }
          return all;
        },
        report.flags());
  }

  private static List<Reason> leading(@Nullable Reason limited, List<Reason> input) {
    if (input.isEmpty()) {
      return limited == null ? List.of() : List.of(limited);
    }
    List<Reason> out = new ArrayList<>(input.size() + 1);
    if (limited != null) {
      out.add(limited);
    }
    out.addAll(input);
    return out;
  }
}
