package dev.persona.internal.signals;

import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.spi.SignalExtractor;
import java.util.ArrayList;
import java.util.List;

/**
 * The contextual signals an engine's extractors declare, numbered: signal {@code id} belongs to one
 * extractor, and extractor {@code x} owns the ids from {@code first(x)} up to {@code first(x + 1)}.
 * Read once when the engine is built, so that a request looks a key up among its extractor's few
 * keys instead of in a map. Immutable and thread-safe.
 */
public final class ContextSignals {
  private final String[] sources;
  private final int[] first;
  private final String[] keys;
  private final SignalType[] types;

  /** Reads the declarations of {@code extractors}, in order. */
  public ContextSignals(List<SignalExtractor> extractors) {
    List<SignalSpec> all = new ArrayList<>();
    sources = new String[extractors.size()];
    first = new int[extractors.size() + 1];
    for (int x = 0; x < extractors.size(); x++) {
      SignalExtractor e = extractors.get(x);
      sources[x] = e.name();
      first[x] = all.size();
      for (SignalSpec s : e.signals()) {
        if (!contains(all, first[x], s.key())) {
          all.add(s);
        }
      }
    }
    first[extractors.size()] = all.size();
    keys = new String[all.size()];
    types = new SignalType[all.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = all.get(i).key();
      types[i] = all.get(i).type();
    }
  }

  private static boolean contains(List<SignalSpec> specs, int from, String key) {
    for (int i = from; i < specs.size(); i++) {
      if (specs.get(i).key().equals(key)) {
        return true;
      }
    }
    return false;
  }

  /** Returns the number of signals declared. */
  public int size() {
    return keys.length;
  }

  /** Returns the first id of extractor {@code x}. */
  int first(int x) {
    return first[x];
  }

  /**
   * Returns the id of the key extractor {@code x} declared, or -1; tries {@code guess} first, since
   * extractors mostly emit in the order they declare.
   */
  // Identity first: extractors emit the very key strings they declared, so == finds them without
  // comparing characters on the hot path; the equals loop below finds any other copy.
  @SuppressWarnings("ReferenceEquality")
  int id(int x, String key, int guess) {
    int from = first[x];
    int to = first[x + 1];
    if (guess < to && keys[guess] == key) {
      return guess;
    }
    for (int i = from; i < to; i++) {
      if (keys[i] == key) {
        return i;
      }
    }
    for (int i = from; i < to; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /** Returns the id of the first extractor's signal with this key, or -1. */
  public int id(String key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  String key(int id) {
    return keys[id];
  }

  SignalType type(int id) {
    return types[id];
  }

  /** Returns the name of extractor {@code x}, the source of its signals. */
  String source(int x) {
    return sources[x];
  }

  /** Returns the extractor that declared signal {@code id}. */
  int extractorOf(int id) {
    int x = 0;
    while (first[x + 1] <= id) {
      x++;
    }
    return x;
  }

  /** Returns the slot of every signal in {@code rules}' frames, by id; -1 for untested ones. */
  int[] slots(CompiledRuleSet rules) {
    int[] out = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      out[i] = rules.slot(keys[i]);
    }
    return out;
  }
}
