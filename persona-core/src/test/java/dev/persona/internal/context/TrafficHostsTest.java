package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.internal.context.TrafficHosts.Category;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

final class TrafficHostsTest {

  @ParameterizedTest
  @EnumSource(Category.class)
  void everyListLoadsWithValidEntries(Category category) {
    assertThat(TrafficHosts.read(category.resource()))
        .isNotEmpty()
        .allMatch(TrafficHosts::isValidEntry)
        .doesNotHaveDuplicates();
  }

  @ParameterizedTest
  @CsvSource({
    "google.com, SEARCH",
    "google.co.uk, SEARCH",
    "google.com.br, SEARCH",
    "scholar.google.de, SEARCH",
    "mail.google.com, EMAIL",
    "search.yahoo.co.jp, SEARCH",
    "mail.yahoo.co.jp, EMAIL",
    "tieba.baidu.com, SOCIAL",
    "baidu.com, SEARCH",
    "mail.qq.com, EMAIL",
    "qq.com, SOCIAL",
    "pinterest.com.mx, SOCIAL",
    "attn.tv, SMS"
  })
  void looksUpHostsMostSpecificFirst(String host, Category expected) {
    assertThat(TrafficHosts.ofHost(host)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "google, SEARCH",
    "pinterest, SOCIAL",
    "fb, SOCIAL",
    "mailchimp, EMAIL",
    "firebase, PUSH"
  })
  void looksUpUtmSourceNames(String name, Category expected) {
    assertThat(TrafficHosts.ofName(name)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "com", "co.uk", "google.toolong", "google.a.b.c", "example.com"})
  void knowsNothingOfOtherHosts(String host) {
    assertThat(TrafficHosts.ofHost(host)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Google.com", "www.google.com", "a..b", "a.b.", "x y", "", ".*"})
  void rejectsMalformedEntries(String entry) {
    assertThat(TrafficHosts.isValidEntry(entry)).isFalse();
  }
}
