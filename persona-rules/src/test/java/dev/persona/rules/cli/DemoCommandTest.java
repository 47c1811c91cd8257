package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.Persona;
import org.junit.jupiter.api.Test;

final class DemoCommandTest {

  @Test
  void demo_exits0_andEveryDefaultPersonaIsSomeSessionsPrimaryPersona() {
    Cli r = Cli.run("demo");

    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    for (Persona p : RuleSetReader.defaultRuleSet().personas()) {
      assertThat(r.out()).contains("  persona     " + p.id() + "\n");
    }
  }

  @Test
  void demo_showsConsentAndLifecycleCases() {
    Cli r = Cli.run("demo");

    assertThat(r.out())
        .contains("gpc-opted-out", "consent     REQUEST_ONLY", "gpc=true")
        .contains("cart-abandoner-returns", "lifecycle   cart_abandoner", "cart.message=come-back")
        .contains("Summary", "home.hero", "product.badge", "cart.message", "email.subject");
  }

  @Test
  void demo_takesNoPositionalArguments() {
    assertThat(Cli.run("demo", "extra").code()).isEqualTo(2);
  }
}
