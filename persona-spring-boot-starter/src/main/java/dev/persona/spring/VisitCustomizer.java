package dev.persona.spring;

import dev.persona.Visit;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Adds what the request says beyond its headers, query and principal to the visit the starter's
 * filter decides: events (a product page's {@code product_view}), declared preferences, profile
 * facts. Declare one or more as beans; they run in their {@link
 * org.springframework.core.annotation.Order order}, on the request thread, before the decision.
 *
 * <p>docs/spring-boot.md shows one that adds review-page and comparison events.
 *
 * <p>Implementations must be thread-safe: one serves every request.
 *
 * @since 0.5.0
 */
@FunctionalInterface
public interface VisitCustomizer {
  /**
   * Adds to the visit of one request.
   *
   * @param request the request
   * @param visit the visit's builder, with the session id, allowed headers, query and user id set
   */
  void customize(HttpServletRequest request, Visit.Builder visit);
}
