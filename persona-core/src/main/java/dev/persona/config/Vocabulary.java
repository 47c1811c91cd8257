package dev.persona.config;

import dev.persona.internal.vocabulary.Words;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The store's words for what counts as a sale view ({@code sale_views}), a gift view ({@code
 * gift_views}) and a price sort ({@code price_sorts}): per {@link Use}, the entries each {@link
 * Source} of an event (its path, category, search query or sort order) is matched against.
 *
 * <p>A text matches an entry word by word: both are read the same way, percent-encoding decoded
 * (UTF-8), in lower case, and split into words at every character that is not a letter, digit or
 * mark; a path's query string and fragment are left out. An entry matches whole words: {@code sale}
 * matches {@code /summer-sale} and {@code /Sale/shoes} but not {@code /wholesale} or {@code
 * /salesforce}; {@code gift cards} matches {@code /gift-cards}. A trailing {@code *} lets the last
 * word go on ({@code gift*} matches {@code /gifts} and {@code /giftcards}); a leading {@code /}
 * ties the entry to the start of a path segment or of the text ({@code /ale} matches {@code
 * /fi/ale} but not {@code /pale-ale}). An entry that starts with a CJK character (U+2E80 on, so
 * Chinese) may start anywhere in a word, and one that ends with one may end anywhere, as Chinese is
 * written without spaces: {@code 促销} matches {@code /限时促销活动}. Entries have at most 64 characters,
 * at most {@value #MAX_ENTRIES} per use and source.
 *
 * <pre>{@code
 * Vocabulary words = Vocabulary.builder() // starts from the defaults
 *     .add(Vocabulary.Use.SALE_VIEWS, Vocabulary.Source.PATH, List.of("angebote", "sonderangebote"))
 *     .add(Vocabulary.Use.GIFT_VIEWS, Vocabulary.Source.CATEGORY, List.of("geschenk*"))
 *     .build();
 * ContextConfig context = ContextConfig.builder().vocabulary(words).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; its builder is not thread-safe.
 *
 * @since 0.5.0
 */
public final class Vocabulary {
  /** The most entries per use and source. */
  public static final int MAX_ENTRIES = 500;

  /** The most characters of an entry. */
  public static final int MAX_ENTRY_LENGTH = Words.MAX_ENTRY_LENGTH;

  /**
   * What a match counts as.
   *
   * @since 0.5.0
   */
  public enum Use {
    /** A view of a sale, clearance or outlet page: {@code sale_views}. */
    SALE_VIEWS("sale_views"),
    /** A view of a gift guide, gift card or gift category, or a gift search: {@code gift_views}. */
    GIFT_VIEWS("gift_views"),
    /** A listing or search sorted by price: {@code price_sorts}. */
    PRICE_SORTS("price_sorts");

    private final String key;

    Use(String key) {
      this.key = key;
    }

    /**
     * Returns the counter's signal key, which the rule file's vocabulary names too.
     *
     * @return the key, such as {@code sale_views}
     */
    public String key() {
      return key;
    }
  }

  /**
   * What part of an event is matched: a {@code page_view}'s path, category and sort, a {@code
   * product_view}'s category, a {@code search}'s query and sort.
   *
   * @since 0.5.0
   */
  public enum Source {
    /** The {@code path} attribute, without its query string and fragment. */
    PATH("paths"),
    /** The {@code category} attribute. */
    CATEGORY("categories"),
    /** The {@code query} attribute of a search. */
    QUERY("queries"),
    /** The {@code sort} attribute, the order a listing or search is sorted in. */
    SORT("sorts");

    private final String key;

    Source(String key) {
      this.key = key;
    }

    /**
     * Returns the name the rule file's vocabulary gives this source's entries.
     *
     * @return the key, such as {@code paths}
     */
    public String key() {
      return key;
    }
  }

  private static final int USES = Use.values().length;
  private static final int SOURCES = Source.values().length;

  private static final Vocabulary NONE = new Vocabulary(empty());
  private static final Vocabulary DEFAULTS = defaultVocabulary();

  /**
   * The entries, read by {@link Words#entry}, per use and source at {@code use * SOURCES + src}.
   */
  private final List<List<String>> entries;

  private Vocabulary(List<Set<String>> entries) {
    List<List<String>> copy = new ArrayList<>(entries.size());
    entries.forEach(e -> copy.add(List.copyOf(e)));
    this.entries = List.copyOf(copy);
  }

  /**
   * Returns the built-in vocabulary, for stores in English, Polish, Romanian, Finnish and Chinese
   * (listed in {@code docs/signals.md}).
   *
   * @return the default vocabulary
   */
  public static Vocabulary defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a vocabulary without entries: only a {@code page_view} or {@code product_view} with
   * {@code on_sale} true counts, as a sale view.
   *
   * @return the empty vocabulary
   */
  public static Vocabulary none() {
    return NONE;
  }

  /**
   * Returns a builder starting from the {@linkplain #defaults() defaults}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /**
   * Returns a builder holding this vocabulary's entries.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(entries);
  }

  /**
   * Returns the entries {@code source} is matched against for {@code use}, as read: in lower case,
   * percent-encoding decoded, separators as one space or {@code /}.
   *
   * @param use what a match counts as
   * @param source what part of an event is matched
   * @return the entries, in the order added
   */
  public List<String> words(Use use, Source source) {
    return entries.get(index(use, source));
  }

  private static int index(Use use, Source source) {
    return Objects.requireNonNull(use, "use").ordinal() * SOURCES
        + Objects.requireNonNull(source, "source").ordinal();
  }

  private static List<Set<String>> empty() {
    List<Set<String>> out = new ArrayList<>(USES * SOURCES);
    for (int i = 0; i < USES * SOURCES; i++) {
      out.add(new LinkedHashSet<>());
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Vocabulary v && entries.equals(v.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Vocabulary{");
    for (Use use : Use.values()) {
      int n = 0;
      for (Source source : Source.values()) {
        n += words(use, source).size();
      }
      sb.append(use == Use.SALE_VIEWS ? "" : ", ").append(use.key()).append('=').append(n);
    }
    return sb.append('}').toString();
  }

  /**
   * Builds a {@link Vocabulary}; each method checks its arguments at once. Not thread-safe.
   *
   * @since 0.5.0
   */
  public static final class Builder {
    private final List<Set<String>> entries = empty();

    private Builder(List<List<String>> from) {
      for (int i = 0; i < from.size(); i++) {
        entries.get(i).addAll(from.get(i));
      }
    }

    /**
     * Adds entries that {@code source} texts are matched against for {@code use}; an entry already
     * there is not added again.
     *
     * @param use what a match counts as
     * @param source what part of an event is matched
     * @param words the entries, as described {@linkplain Vocabulary above}
     * @return this builder
     * @throws IllegalArgumentException if an entry is longer than {@value #MAX_ENTRY_LENGTH}
     *     characters, has no letter or digit, has a {@code *} elsewhere than at its end, or the use
     *     and source would have more than {@value #MAX_ENTRIES} entries
     */
    public Builder add(Use use, Source source, Collection<String> words) {
      Set<String> into = entries.get(index(use, source));
      for (String w : Objects.requireNonNull(words, "words")) {
        String entry = entry(w);
        if (!into.contains(entry) && into.size() == MAX_ENTRIES) {
          throw new IllegalArgumentException(
              "at most "
                  + MAX_ENTRIES
                  + " vocabulary entries for the "
                  + source.key()
                  + " of "
                  + use.key());
        }
        into.add(entry);
      }
      return this;
    }

    /**
     * Removes entries, such as a default a store does not want ({@code ale}, Finnish for sale, in a
     * store that sells beer); an entry matches one to remove when both read the same.
     *
     * @param use what a match counts as
     * @param source what part of an event is matched
     * @param words the entries
     * @return this builder
     * @throws IllegalArgumentException if an entry is not one {@link #add} takes
     */
    public Builder remove(Use use, Source source, Collection<String> words) {
      Set<String> from = entries.get(index(use, source));
      for (String w : Objects.requireNonNull(words, "words")) {
        from.remove(entry(w));
      }
      return this;
    }

    /**
     * Removes every entry, the defaults included.
     *
     * @return this builder
     */
    public Builder clear() {
      entries.forEach(Set::clear);
      return this;
    }

    /**
     * Builds the vocabulary.
     *
     * @return the immutable vocabulary
     */
    public Vocabulary build() {
      return new Vocabulary(entries);
    }

    private static String entry(String w) {
      return Words.entry(Objects.requireNonNull(w, "word"));
    }
  }

  private static Vocabulary defaultVocabulary() {
    Builder b = new Builder(NONE.entries);
    // English; Polish (Allegro, Ceneo); Romanian (eMAG); Finnish (Verkkokauppa.com); Chinese (JD,
    // Taobao, Tmall), with the pinyin their paths use
    List<String> salePages =
        List.of(
            "sale",
            "clearance",
            "outlet",
            "deals",
            "offers",
            "special offers",
            "promotion*",
            "promo",
            "discount*",
            "markdown*",
            "black friday",
            "cyber monday",
            "promocj*",
            "wyprzedaz*",
            "wyprzedaż*",
            "okazj*",
            "przecen*",
            "rabat*",
            "oferte",
            "oferta zilei",
            "reduceri",
            "reducere",
            "promotii",
            "promoții",
            "lichidare*",
            "resigilate",
            "alennu*",
            "tarjou*",
            "促销",
            "特价",
            "折扣",
            "打折",
            "优惠",
            "秒杀",
            "清仓",
            "cuxiao",
            "tejia",
            "zhekou",
            "youhui",
            "miaosha",
            "qingcang");
    List<String> salePaths = new ArrayList<>(salePages);
    salePaths.add("/ale");
    b.add(Use.SALE_VIEWS, Source.PATH, salePaths);
    b.add(Use.SALE_VIEWS, Source.CATEGORY, salePages);
    b.add(
        Use.SALE_VIEWS,
        Source.QUERY,
        List.of(
            "clearance",
            "discount*",
            "deals",
            "promocj*",
            "wyprzedaz*",
            "wyprzedaż*",
            "przecen*",
            "reduceri",
            "reducere",
            "lichidare*",
            "alennu*",
            "tarjou*",
            "促销",
            "特价",
            "折扣",
            "打折",
            "清仓",
            "秒杀"));
    List<String> gifts =
        List.of(
            "gift*",
            "prezent*",
            "upomink*",
            "podarun*",
            "cadou*",
            "lahja*",
            "礼品",
            "礼物",
            "礼盒",
            "送礼",
            "lipin",
            "liwu");
    b.add(Use.GIFT_VIEWS, Source.PATH, gifts);
    b.add(Use.GIFT_VIEWS, Source.CATEGORY, gifts);
    b.add(Use.GIFT_VIEWS, Source.QUERY, gifts);
    b.add(
        Use.PRICE_SORTS,
        Source.SORT,
        List.of(
            "price*",
            "cheapest",
            "cena*",
            "ceny",
            "pret*",
            "preț*",
            "preţ*",
            "hinta*",
            "halvin*",
            "价格",
            "价钱",
            "jiage"));
    b.add(Use.PRICE_SORTS, Source.PATH, List.of("sort price*"));
    return b.build();
  }
}
