package dev.persona.internal.signals;

import dev.persona.Signal;
import dev.persona.SignalKind;
import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.internal.rules.SignalFrame;
import dev.persona.internal.session.SessionData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What one decision's signals were made from: the declared attributes kept, the session, the
 * profile facts and what they predict, and the contextual values. The engine scores from bare
 * values; the {@link Signal}s are made from these sources, in the same order, only when the
 * decision's signals or reasons are asked for. Immutable.
 */
public final class RequestSignals implements Supplier<List<Signal>> {
  private final Map<String, Object> declared;
  private final SessionData session;
  private final @Nullable SessionData user;
  private final long nowMillis;
  private final Map<String, Object> profile;
  private final Predictor predictor;
  private final ContextSignals table;
  private final Object[] context;

  /**
   * @param declared explicit signal values by key
   * @param session the session whose implicit signals count, or null for none
   * @param user for a signed-in visit, the user's profile after the visit (its cart, products and
   *     facts count too), else null
   * @param nowMillis the request's time
   * @param profile profile facts by key; those with a declared key are left out
   * @param predictor what predicts signals from the profile facts
   * @param table the contextual signals the engine knows
   * @param context the contextual values, an {@link ExtractorSink#snapshot}
   */
  public RequestSignals(
      Map<String, Object> declared,
      SessionData session,
      @Nullable SessionData user,
      long nowMillis,
      Map<String, Object> profile,
      Predictor predictor,
      ContextSignals table,
      Object[] context) {
    this.declared = declared;
    this.session = session;
    this.user = user;
    this.nowMillis = nowMillis;
    this.profile = profile;
    this.predictor = predictor;
    this.table = table;
    this.context = context;
  }

  /** Returns the session whose implicit signals count, or null for none. */
  public @Nullable SessionData session() {
    return session;
  }

  /** Returns every signal, explicit, implicit, then contextual, in a new list. */
  @Override
  public List<Signal> get() {
    List<Signal> out = new ArrayList<>();
    declared.forEach((k, v) -> out.add(new Signal(k, SignalKind.EXPLICIT, v, "declared", 1)));
    if (session != null) {
      SessionSignals.addTo(out, session, user, nowMillis);
    }
    profile.forEach(
        (k, v) -> {
          if (!declared.containsKey(k)) {
            out.add(new Signal(k, SignalKind.IMPLICIT, v, "profile", 1));
          }
        });
    if (session != null && user != null) {
      SessionSignals.addFacts(out, user, session, profile, declared, nowMillis);
    }
    predictor.addTo(out, profile);
    ExtractorSink.addTo(out, table, context);
    return out;
  }

  /** Returns a frame of {@code rules} holding every signal, for explanations. */
  public SignalFrame frame(CompiledRuleSet rules) {
    SignalFrame frame = rules.newFrame();
    for (Signal s : get()) {
      rules.add(frame, s);
    }
    return frame;
  }
}
