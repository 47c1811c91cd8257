package dev.persona.internal.signals;

import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.internal.session.Counter;

/**
 * Where the signals the engine itself makes go in the frames of one {@link CompiledRuleSet}:
 * resolved once per rule set, so that a request puts each value by array index instead of looking
 * its key up. Immutable and thread-safe.
 */
public final class SignalSlots {
  private static final Counter[] COUNTERS = Counter.values();

  final CompiledRuleSet rules;
  final int[] context;
  final int[] counters;
  final int requests;
  final int sessionMinutes;
  final int cartItems;
  final int topCategory;
  final int topBrand;
  final int topBrandShare;
  final int recentlyViewed;
  final int openCart;
  final int entrySource;
  final int entryCampaign;
  final int entryReferrerHost;
  final int previousVisits;
  final int daysSinceLastVisit;
  final int profileTopCategory;
  final int profileTopBrand;

  /** Resolves the slots of the session's and the extractors' signals in {@code rules}. */
  public SignalSlots(CompiledRuleSet rules, ContextSignals table) {
    this.rules = rules;
    this.context = table.slots(rules);
    this.counters = new int[COUNTERS.length];
    for (Counter c : COUNTERS) {
      counters[c.ordinal()] = rules.slot(c.key());
    }
    this.requests = rules.slot(BuiltInSignals.REQUESTS);
    this.sessionMinutes = rules.slot(BuiltInSignals.SESSION_MINUTES);
    this.cartItems = rules.slot(BuiltInSignals.CART_ITEMS);
    this.topCategory = rules.slot(BuiltInSignals.TOP_CATEGORY);
    this.topBrand = rules.slot(BuiltInSignals.TOP_BRAND);
    this.topBrandShare = rules.slot(BuiltInSignals.TOP_BRAND_SHARE);
    this.recentlyViewed = rules.slot(BuiltInSignals.RECENTLY_VIEWED);
    this.openCart = rules.slot(BuiltInSignals.OPEN_CART);
    this.entrySource = rules.slot(BuiltInSignals.ENTRY_SOURCE);
    this.entryCampaign = rules.slot(BuiltInSignals.ENTRY_CAMPAIGN);
    this.entryReferrerHost = rules.slot(BuiltInSignals.ENTRY_REFERRER_HOST);
    this.previousVisits = rules.slot(BuiltInSignals.PREVIOUS_VISITS);
    this.daysSinceLastVisit = rules.slot(BuiltInSignals.DAYS_SINCE_LAST_VISIT);
    this.profileTopCategory = rules.slot(BuiltInSignals.PROFILE_TOP_CATEGORY);
    this.profileTopBrand = rules.slot(BuiltInSignals.PROFILE_TOP_BRAND);
  }

  /** Returns whether these are the slots of {@code compiled}. */
  public boolean isFor(CompiledRuleSet compiled) {
    return rules == compiled;
  }

  /** Returns the slot of contextual signal {@code id}, or -1. */
  public int context(int id) {
    return context[id];
  }
}
