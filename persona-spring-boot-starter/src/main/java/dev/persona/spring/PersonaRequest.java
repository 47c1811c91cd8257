package dev.persona.spring;

import dev.persona.Decision;
import dev.persona.Outcome;
import dev.persona.PersonaEngine;
import dev.persona.VariantChoice;
import jakarta.servlet.ServletRequest;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The decision the starter's filter made for one request, and the way to show its variants: {@link
 * #show} returns a placement's choice and records its exposure once, so that statistics, optimized
 * placements and the attribution of later purchases count what the shopper saw, not what was
 * decided. A controller takes it (or the {@link Decision}) as a parameter; a template reads it as
 * the request attribute {@value #ATTRIBUTE}, e.g. {@code ${persona.content('home.hero')}}.
 *
 * <p>Thread-safe: a page rendered in parallel records each placement's exposure once. Its {@code
 * toString} holds no session id.
 *
 * @since 0.5.0
 */
public final class PersonaRequest {
  /** The request attribute holding this object. */
  public static final String ATTRIBUTE = "persona";

  /** The request attribute holding the {@link Decision}. */
  public static final String DECISION_ATTRIBUTE = "personaDecision";

  private final PersonaEngine engine;
  private final String sessionId;
  private final Decision decision;
  private final Set<String> shown = ConcurrentHashMap.newKeySet();

  /**
   * Makes the request's view of a decision; the starter's filter makes one per request.
   *
   * @param engine the engine that decided, which records exposures
   * @param sessionId the visit's session id
   * @param decision the decision
   */
  public PersonaRequest(PersonaEngine engine, String sessionId, Decision decision) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
    this.decision = Objects.requireNonNull(decision, "decision");
  }

  /**
   * Returns the request's {@code PersonaRequest}, or null when the filter made no decision for it
   * (an excluded path, or the filter turned off).
   *
   * @param request the servlet request
   * @return the request's decision and exposures, or null
   */
  public static @Nullable PersonaRequest of(ServletRequest request) {
    Object o = request.getAttribute(ATTRIBUTE);
    return o instanceof PersonaRequest p ? p : null;
  }

  /**
   * Returns the decision.
   *
   * @return the request's decision
   */
  public Decision decision() {
    return decision;
  }

  /**
   * Returns the session id the visit was decided with: the session cookie's, or the one the filter
   * set.
   *
   * @return the session id
   */
  public String sessionId() {
    return sessionId;
  }

  /**
   * Returns a placement's choice without recording an exposure, for code that only looks.
   *
   * @param placementId the placement
   * @return the choice, or null if the rule set has no such placement
   */
  public @Nullable VariantChoice variant(String placementId) {
    return decision.variant(placementId);
  }

  /**
   * Returns a placement's choice and records its exposure ({@link Outcome#shown}), once per request
   * however often it is called: call it where the variant is rendered.
   *
   * @param placementId the placement
   * @return the choice, or null if the rule set has no such placement (nothing is recorded)
   */
  public @Nullable VariantChoice show(String placementId) {
    VariantChoice choice = decision.variant(placementId);
    if (choice != null && shown.add(placementId)) {
      engine.recordOutcome(Outcome.shown(sessionId, choice));
    }
    return choice;
  }

  /**
   * Returns the content of a placement's chosen variant and records its exposure, as {@link #show}.
   *
   * @param placementId the placement
   * @return the content, or null if the placement is unknown or its variant has none
   */
  public @Nullable Object content(String placementId) {
    VariantChoice choice = show(placementId);
    return choice == null ? null : choice.content();
  }

  /**
   * Returns whether a placement's exposure was recorded in this request.
   *
   * @param placementId the placement
   * @return true once {@link #show} or {@link #content} returned its choice
   */
  public boolean shown(String placementId) {
    return shown.contains(placementId);
  }

  /** Returns the decision's outcome and the placements shown, without ids. */
  @Override
  public String toString() {
    return "PersonaRequest{" + decision + ", shown=" + shown + "}";
  }
}
