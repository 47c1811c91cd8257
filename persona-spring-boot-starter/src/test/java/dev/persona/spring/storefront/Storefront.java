package dev.persona.spring.storefront;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.VariantChoice;
import dev.persona.spring.PersonaRequest;
import dev.persona.spring.VisitCustomizer;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The storefront the starter's tests run: a home page rendered by a Thymeleaf template that shows
 * the home.hero placement, a plain-text page from a controller that takes the {@link Decision}, and
 * review and comparison pages whose visits carry the events that make a researcher.
 */
@SpringBootApplication
public class Storefront {
  // visit customizer example begins
  @Bean
  VisitCustomizer pageEvents() {
    return (request, visit) -> {
      String path = request.getRequestURI();
      if (path.startsWith("/reviews/")) {
        visit.event(Event.of("view_reviews"));
      } else if (path.equals("/compare")) {
        visit.event(Event.of("compare"));
      } else if (path.equals("/search")) {
        visit.event(
            Event.of(
                "search",
                Map.of("query", Objects.requireNonNullElse(request.getParameter("q"), ""))));
      }
    };
  }

  // visit customizer example ends

  /** The pages. */
  @Controller
  static class Pages {
    // controller example begins
    @GetMapping("/hero")
    @ResponseBody
    String hero(Decision decision) {
      VariantChoice hero = decision.variant("home.hero");
      return hero.variant() + " for " + decision.persona();
    }

    @GetMapping("/")
    String home() {
      return "home"; // templates/home.html reads the request attribute "persona"
    }

    @GetMapping("/shown")
    @ResponseBody
    String shown(PersonaRequest persona) {
      VariantChoice badge = persona.show("product.badge"); // records the exposure
      return badge.variant();
    }

    // controller example ends

    @GetMapping("/reviews/{product}")
    @ResponseBody
    String reviews() {
      return "reviews";
    }

    @GetMapping("/search")
    @ResponseBody
    String search() {
      return "results";
    }

    @GetMapping("/compare")
    @ResponseBody
    String compare() {
      return "compare";
    }
  }
}
