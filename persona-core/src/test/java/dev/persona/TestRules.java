package dev.persona;

import static dev.persona.ruleset.Condition.all;
import static dev.persona.ruleset.Condition.eq;
import static dev.persona.ruleset.Condition.exists;
import static dev.persona.ruleset.Condition.gte;
import static dev.persona.ruleset.Condition.in;
import static dev.persona.ruleset.Condition.not;

import dev.persona.ruleset.Assignment;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;

/** A small rule set in the spirit of DOMAIN.md, shared by the engine's tests in every package. */
public final class TestRules {
  private TestRules() {}

  public static RuleSet.Builder builder() {
    return RuleSet.builder("test-1")
        .persona(new Persona("value_hunter", "Value hunter", 0.5))
        .persona(new Persona("researcher", "Researcher", 0.5))
        .persona(new Persona("gift_giver", "Gift giver", 0.5))
        .persona(new Persona("mobile_shopper", "Mobile shopper", 0.5))
        .rule(
            Rule.builder("sale-views")
                .description("looks at discounted products")
                .when(gte("sale_views", 2))
                .add("value_hunter", 0.4)
                .build())
        .rule(
            Rule.builder("coupon").when(gte("coupons_applied", 1)).add("value_hunter", 0.4).build())
        .rule(
            Rule.builder("price-priority")
                .when(eq("priority", "price"))
                .add("value_hunter", 0.3)
                .build())
        .rule(
            Rule.builder("reads-reviews")
                .when(gte("reviews_read", 1))
                .add("researcher", 0.15)
                .per("reviews_read", 4)
                .build())
        .rule(Rule.builder("compares").when(gte("compares", 1)).add("researcher", 0.3).build())
        .rule(
            Rule.builder("declared-gift")
                .when(eq("shopping_for_gift", true))
                .add("gift_giver", 0.6)
                .build())
        .rule(Rule.builder("gift-wrap").when(gte("gift_options", 1)).add("gift_giver", 0.4).build())
        .rule(
            Rule.builder("on-a-phone")
                .when(eq("device", "mobile"))
                .add("mobile_shopper", 0.6)
                .build())
        .lifecycle(new Assignment("new_visitor", 0, Condition.always()))
        .lifecycle(new Assignment("returning_visitor", 10, gte("requests", 2)))
        .lifecycle(new Assignment("repeat_buyer", 30, gte("orders", 2)))
        .lifecycle(
            new Assignment(
                "cart_abandoner",
                20,
                all(gte("cart_items", 1), not(exists("checkouts")), gte("session_minutes", 20))))
        .stage(new Assignment("awareness", 0, Condition.always()))
        .stage(new Assignment("consideration", 10, gte("product_views", 2)))
        .stage(new Assignment("purchase", 20, gte("cart_adds", 1)))
        .placement(
            Placement.of(
                "home.hero",
                Variant.builder("flash-sale")
                    .targets("value_hunter")
                    .content("Flash sale: 24h only")
                    .build(),
                Variant.builder("gift-guide")
                    .targets("gift_giver")
                    .weight(1.2)
                    .content("Gift guide")
                    .build(),
                Variant.builder("reviews").targets("researcher").content("Top rated").build(),
                Variant.builder("new-season").asDefault().content("New season").build()))
        .placement(
            Placement.of(
                "cart.message",
                Variant.builder("come-back")
                    .when(eq("lifecycle", "cart_abandoner"))
                    .content("Your cart is waiting")
                    .build(),
                Variant.builder("express")
                    .targets("mobile_shopper")
                    .when(
                        in(
                            "traffic_source",
                            "organic_social",
                            "paid_social",
                            "paid_search",
                            "display",
                            "direct",
                            "internal"))
                    .content("Express checkout")
                    .build(),
                Variant.builder("free-shipping")
                    .asDefault()
                    .content("Free shipping over 50")
                    .build()));
  }

  public static RuleSet ruleSet() {
    return builder().build();
  }
}
