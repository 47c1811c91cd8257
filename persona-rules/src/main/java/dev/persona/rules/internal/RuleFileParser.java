package dev.persona.rules.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.persona.PersonaEngine;
import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.config.PredictionConfig;
import dev.persona.config.Vocabulary;
import dev.persona.prediction.BgNbd;
import dev.persona.prediction.GammaGamma;
import dev.persona.ruleset.Assignment;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import dev.persona.ruleset.Variant;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads one rule file into the rule-set model, collecting every problem with its position. */
final class RuleFileParser extends JsonReading {
  private static final Set<String> BUILT_IN =
      PersonaEngine.builtInSignals().stream()
          .map(SignalSpec::key)
          .collect(java.util.stream.Collectors.toUnmodifiableSet());

  final ConditionReader conditions = new ConditionReader(this);
  private final PlacementReader placementReader;

  private String version;
  private final List<SignalSpec> signals = new ArrayList<>();
  private final List<Persona> personas = new ArrayList<>();
  private final List<Rule> rules = new ArrayList<>();
  private final List<Integer> ruleIndex = new ArrayList<>();
  private final List<Assignment> lifecycle = new ArrayList<>();
  private final List<Assignment> stages = new ArrayList<>();
  private final List<Integer> lifecycleIndex = new ArrayList<>();
  private final List<Integer> stageIndex = new ArrayList<>();
  final List<Placement> placements = new ArrayList<>();
  final List<Integer> placementIndex = new ArrayList<>();
  private final Map<String, String> firstSeen = new HashMap<>();
  private PredictionConfig prediction;

  /** Ids of personas, and keys of signals, declared by entries that have problems of their own. */
  private final Set<String> brokenPersonas = new java.util.HashSet<>();

  private final Set<String> brokenSignals = new java.util.HashSet<>();
  final Map<String, String> targetText = new HashMap<>();

  /** The file's vocabulary, or null when it has none or it has problems. */
  private Vocabulary vocabulary;

  RuleFileParser(String source, JsonParser p, byte[] bytes) {
    super(source, p);
    this.placementReader = new PlacementReader(this, bytes);
  }

  /** Reads the document; returns the builder, or null when problems were found. */
  RuleSet.Builder read() throws IOException {
    JsonToken first = p.nextToken();
    if (first == null) {
      problem("$", "the file is empty; expected a rule-set object");
      return null;
    }
    Map<String, Field> fields = new LinkedHashMap<>();
    fields.put("version", path -> version = string(path));
    fields.put("signals", path -> array(path, (at, i) -> signal(at)));
    fields.put("personas", path -> array(path, (at, i) -> persona(at)));
    fields.put("rules", path -> array(path, this::rule));
    fields.put(
        "lifecycle",
        path -> array(path, (at, i) -> assignment(at, i, "segment", lifecycle, lifecycleIndex)));
    fields.put(
        "stages", path -> array(path, (at, i) -> assignment(at, i, "stage", stages, stageIndex)));
    fields.put("placements", path -> array(path, placementReader::placement));
    fields.put("models", this::models);
    fields.put("vocabulary", this::vocabulary);
    if (!object("$", fields, Set.of("version"))) {
      return null;
    }
    if (p.nextToken() != null) {
      problem("$", "unexpected content after the rule-set object");
      return null;
    }
    // Entries with problems of their own are left out; the rest is still checked, so that unknown
    // signals, unknown personas and type mismatches are reported with them. What refers to a
    // left-out persona or signal is left out too, rather than reported as unknown.
    RuleSet.Builder b;
    try {
      b = RuleSet.builder(version);
    } catch (IllegalArgumentException | NullPointerException e) {
      if (version != null) {
        problem(locations.get("$.version"), "$.version", e.getMessage());
      }
      b = RuleSet.builder("unchecked");
    }
    signals.forEach(b::signal);
    personas.forEach(b::persona);
    dropUnknownPersonas();
    dropUsesOfBrokenSignals();
    rules.forEach(b::rule);
    lifecycle.forEach(b::lifecycle);
    stages.forEach(b::stage);
    placements.forEach(b::placement);
    if (prediction != null) {
      b.prediction(prediction);
    }
    b.vocabulary(vocabulary);
    return b;
  }

  /**
   * Reports every reference to a persona the file does not declare, at the reference, and leaves it
   * out, so that the rest of the file can still be checked against the engine's signals.
   */
  private void dropUnknownPersonas() {
    Set<String> known = new java.util.LinkedHashSet<>();
    personas.forEach(x -> known.add(x.id()));
    for (int k = 0; k < rules.size(); k++) {
      Rule r = rules.get(k);
      String path = "$.rules[" + ruleIndex.get(k) + "].add";
      Map<String, Double> kept = new LinkedHashMap<>();
      r.adds()
          .forEach(
              (persona, w) -> {
                if (known.contains(persona)) {
                  kept.put(persona, w);
                } else if (!brokenPersonas.contains(persona)) {
                  problem(
                      locations.get(path + "." + persona),
                      path + "." + persona,
                      "rule '"
                          + r.id()
                          + "' adds to unknown persona '"
                          + persona
                          + "'; known personas: "
                          + known);
                }
              });
      if (kept.size() < r.adds().size()) {
        rules.set(
            k,
            kept.isEmpty()
                ? null
                : new Rule(r.id(), r.description(), r.when(), kept, r.scaleKey(), r.scaleCap()));
      }
    }
    for (int k = 0; k < placements.size(); k++) {
      Placement pl = placements.get(k);
      List<Variant> kept = new ArrayList<>();
      for (int v = 0; v < pl.variants().size(); v++) {
        Variant variant = pl.variants().get(v);
        String path = "$.placements[" + placementIndex.get(k) + "].variants[" + v + "].targets";
        boolean ok = true;
        for (String target : variant.targets()) {
          if (brokenPersonas.contains(target)) {
            ok = false;
          } else if (!known.contains(target)) {
            problem(
                locations.get(path + "[" + targetIndex(path, target) + "]"),
                path,
                "variant '"
                    + variant.id()
                    + "' targets unknown persona '"
                    + target
                    + "'; known personas: "
                    + known);
            ok = false;
          }
        }
        if (ok || variant.isDefault()) {
          kept.add(
              ok
                  ? variant
                  : new Variant(
                      variant.id(),
                      Set.of(),
                      variant.when(),
                      variant.weight(),
                      true,
                      variant.content()));
        }
      }
      placements.set(k, withVariants(pl, kept));
    }
    removeNulls(rules, ruleIndex);
  }

  /** Removes the null elements of {@code list} and the file indices that go with them. */
  private static <T> void removeNulls(List<T> list, List<Integer> index) {
    for (int k = list.size() - 1; k >= 0; k--) {
      if (list.get(k) == null) {
        list.remove(k);
        index.remove(k);
      }
    }
  }

  private static <T> void removeIf(
      List<T> list, List<Integer> index, java.util.function.Predicate<T> drop) {
    for (int k = list.size() - 1; k >= 0; k--) {
      if (drop.test(list.get(k))) {
        list.remove(k);
        index.remove(k);
      }
    }
  }

  /** Leaves out what tests a signal whose declaration has problems of its own. */
  private void dropUsesOfBrokenSignals() {
    if (brokenSignals.isEmpty()) {
      return;
    }
    removeIf(
        rules,
        ruleIndex,
        r ->
            usesBroken(r.when()) || (r.scaleKey() != null && brokenSignals.contains(r.scaleKey())));
    removeIf(lifecycle, lifecycleIndex, a -> usesBroken(a.when()));
    removeIf(stages, stageIndex, a -> usesBroken(a.when()));
    removeIf(
        placements,
        placementIndex,
        pl -> pl.variants().stream().anyMatch(v -> usesBroken(v.when())));
  }

  private boolean usesBroken(Condition c) {
    return c.keys().stream().anyMatch(brokenSignals::contains);
  }

  /** Returns the placement with the given variants, and its mode if they still allow it. */
  private static Placement withVariants(Placement pl, List<Variant> variants) {
    try {
      return new Placement(pl.id(), variants, pl.experiment(), pl.optimization());
    } catch (IllegalArgumentException e) {
      return new Placement(pl.id(), variants);
    }
  }

  private int targetIndex(String path, String target) {
    for (int i = 0; ; i++) {
      JsonLocation at = locations.get(path + "[" + i + "]");
      if (at == null) {
        return 0;
      }
      if (target.equals(targetText.get(path + "[" + i + "]"))) {
        return i;
      }
    }
  }

  /** Adds the problems of the core's checks, at the positions of the paths they name. */
  void addLocated(List<RuleSetException.Problem> found) {
    for (RuleSetException.Problem pr : found) {
      String path = fileIndex(pr.path());
      problem(nearestLocation(path), path, pr.message());
    }
  }

  /** Turns the model's indices (which skip duplicates) back into the file's indices. */
  private String fileIndex(String path) {
    path = remap(path, "$.rules[", ruleIndex);
    path = remap(path, "$.lifecycle[", lifecycleIndex);
    path = remap(path, "$.stages[", stageIndex);
    return remap(path, "$.placements[", placementIndex);
  }

  private static String remap(String path, String prefix, List<Integer> index) {
    if (!path.startsWith(prefix)) {
      return path;
    }
    int end = path.indexOf(']', prefix.length());
    int modelIndex = Integer.parseInt(path.substring(prefix.length(), end));
    int fileIndex = modelIndex < index.size() ? index.get(modelIndex) : modelIndex;
    return prefix + fileIndex + path.substring(end);
  }

  private JsonLocation nearestLocation(String path) {
    for (String p = path; !p.isEmpty(); p = parent(p)) {
      JsonLocation at = locations.get(p);
      if (at != null) {
        return at;
      }
    }
    return null;
  }

  private static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut <= 0 ? "" : path.substring(0, cut);
  }

  boolean unique(String kind, String id, String path) {
    JsonLocation at = locations.get(path + ".id");
    String key = kind + ":" + id;
    String before =
        firstSeen.putIfAbsent(key, at == null ? "?" : at.getLineNr() + ":" + at.getColumnNr());
    if (before != null) {
      problem(at, path + ".id", "duplicate " + kind + " id '" + id + "' (first at " + before + ")");
      return false;
    }
    return true;
  }

  private void signal(String path) throws IOException {
    String[] key = new String[1];
    readSignal(path, key);
    if (key[0] != null
        && !BUILT_IN.contains(key[0])
        && signals.stream().noneMatch(x -> x.key().equals(key[0]))) {
      brokenSignals.add(key[0]);
    }
  }

  private void readSignal(String path, String[] key) throws IOException {
    String[] v = new String[4];
    Map<String, Field> f = new LinkedHashMap<>();
    f.put("key", at -> key[0] = v[0] = string(at));
    f.put("kind", at -> v[1] = choice(at, "explicit", "implicit", "contextual"));
    f.put("type", at -> v[2] = choice(at, "text", "number", "flag", "set"));
    f.put("description", at -> v[3] = string(at));
    JsonLocation start = here();
    if (object(path, f, Set.of("key", "kind", "type"))
        && v[0] != null
        && v[1] != null
        && v[2] != null) {
      if (!unique("signal", v[0], path)) {
        return;
      }
      if (BUILT_IN.contains(v[0])) {
        // the engine's own signal would win, and the declaration be silently ignored
        problem(
            locations.get(path + ".key"),
            path + ".key",
            "signal '" + v[0] + "' is built in; remove its declaration");
        return;
      }
      build(
          start,
          path,
          () ->
              signals.add(
                  new SignalSpec(
                      v[0],
                      SignalKind.valueOf(v[1].toUpperCase(Locale.ROOT)),
                      SignalType.valueOf(v[2].toUpperCase(Locale.ROOT)),
                      v[3] == null ? "" : v[3])));
    }
  }

  /**
   * Reads the fitted models of the predicted signals: {@code period} ({@code day} or {@code week}),
   * {@code bg_nbd} ({@code r}, {@code alpha}, {@code a}, {@code b}), {@code gamma_gamma} ({@code
   * p}, {@code q}, {@code gamma}), {@code horizon_days}, {@code clv_horizon_days} and {@code
   * annual_discount_rate}.
   */
  private void models(String path) throws IOException {
    PredictionConfig.Builder b = PredictionConfig.builder();
    boolean[] ok = {true};
    boolean[] model = new boolean[1];
    Map<String, Field> f = new LinkedHashMap<>();
    f.put(
        "period",
        at -> {
          String unit = choice(at, "day", "week");
          ok[0] &= unit != null;
          if (unit != null) {
            b.period(Duration.ofDays(unit.equals("week") ? 7 : 1));
          }
        });
    f.put(
        "bg_nbd",
        at -> {
          double[] v = parameters(at, ok, "r", "alpha", "a", "b");
          if (v != null) {
            ok[0] &= set(at, () -> b.bgNbd(new BgNbd(v[0], v[1], v[2], v[3])));
            model[0] = true;
          }
        });
    f.put(
        "gamma_gamma",
        at -> {
          double[] v = parameters(at, ok, "p", "q", "gamma");
          if (v != null) {
            ok[0] &= set(at, () -> b.gammaGamma(new GammaGamma(v[0], v[1], v[2])));
            model[0] = true;
          }
        });
    f.put("horizon_days", at -> ok[0] &= days(at, b::horizon));
    f.put("clv_horizon_days", at -> ok[0] &= days(at, b::clvHorizon));
    f.put(
        "annual_discount_rate",
        at -> {
          Double rate = number(at);
          ok[0] &= rate != null && set(at, () -> b.annualDiscountRate(rate));
        });
    JsonLocation start = here();
    if (!object(path, f, Set.of("period")) || !ok[0]) {
      return;
    }
    if (!model[0]) {
      problem(start, path, "models need bg_nbd, gamma_gamma or both");
      return;
    }
    prediction = b.build();
  }

  /** Reads an object of the named numbers, all required; null when it has problems. */
  private double[] parameters(String path, boolean[] ok, String... names) throws IOException {
    Double[] v = new Double[names.length];
    Map<String, Field> f = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      int k = i;
      f.put(names[i], at -> v[k] = number(at));
    }
    boolean read = object(path, f, Set.of(names));
    double[] out = new double[names.length];
    for (int i = 0; i < names.length; i++) {
      if (v[i] == null) {
        read = false;
      } else {
        out[i] = v[i];
      }
    }
    ok[0] &= read;
    return read ? out : null;
  }

  private boolean days(String path, java.util.function.Consumer<Duration> setter)
      throws IOException {
    Double days = number(path);
    return days != null
        && set(
            path,
            () -> {
              if (!(days > 0 && days <= 3653)) {
                throw new IllegalArgumentException(
                    "expected a number of days above 0 and at most 3653 (ten years), found "
                        + days);
              }
              setter.accept(Duration.ofMillis(Math.round(days * 86_400_000)));
            });
  }

  /** Runs {@code make}; reports what it throws at {@code path}'s location. */
  private boolean set(String path, Runnable make) {
    try {
      make.run();
      return true;
    } catch (IllegalArgumentException e) {
      problem(locations.get(path), path, e.getMessage());
      return false;
    }
  }

  private void persona(String path) throws IOException {
    String[] s = new String[2];
    Double[] threshold = new Double[1];
    Map<String, Field> f = new LinkedHashMap<>();
    f.put("id", at -> s[0] = string(at));
    f.put("name", at -> s[1] = string(at));
    f.put("threshold", at -> threshold[0] = number(at));
    JsonLocation start = here();
    if (object(path, f, Set.of("id", "name", "threshold"))
        && s[0] != null
        && s[1] != null
        && threshold[0] != null
        && unique("persona", s[0], path)) {
      build(start, path, () -> personas.add(new Persona(s[0], s[1], threshold[0])));
    }
    if (s[0] != null && personas.stream().noneMatch(x -> x.id().equals(s[0]))) {
      brokenPersonas.add(s[0]);
    }
  }

  private void rule(String path, int index) throws IOException {
    String[] s = new String[2];
    Condition[] when = {Condition.always()};
    Map<String, Double> adds = new LinkedHashMap<>();
    String[] perKey = new String[1];
    Double[] perCap = new Double[1];
    boolean[] ok = {true};
    Map<String, Field> f = new LinkedHashMap<>();
    f.put("id", at -> s[0] = string(at));
    f.put("description", at -> s[1] = string(at));
    f.put("when", at -> ok[0] &= (when[0] = conditions.read(at)) != null);
    f.put("add", at -> ok[0] &= weights(at, adds));
    f.put(
        "per",
        at -> {
          Map<String, Field> per = new LinkedHashMap<>();
          per.put("signal", x -> perKey[0] = string(x));
          per.put("cap", x -> perCap[0] = number(x));
          ok[0] &=
              object(at, per, Set.of("signal", "cap")) && perKey[0] != null && perCap[0] != null;
        });
    JsonLocation start = here();
    if (!object(path, f, Set.of("id", "add"))
        || !ok[0]
        || s[0] == null
        || !unique("rule", s[0], path)) {
      return;
    }
    build(
        start,
        path,
        () -> {
          Rule.Builder b = Rule.builder(s[0]).when(when[0]).description(s[1] == null ? "" : s[1]);
          adds.forEach(b::add);
          if (perKey[0] != null) {
            b.per(perKey[0], perCap[0]);
          }
          rules.add(b.build());
          ruleIndex.add(index);
        });
  }

  private boolean weights(String path, Map<String, Double> into) throws IOException {
    locations.put(path, here());
    if (p.currentToken() != JsonToken.START_OBJECT) {
      wrongType(path, "an object of persona id to weight");
      return false;
    }
    boolean ok = true;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String persona = p.currentName();
      JsonLocation at = here();
      p.nextToken();
      Double w = number(path + "." + persona);
      locations.put(path + "." + persona, at);
      if (into.containsKey(persona)) {
        problem(at, path + "." + persona, "duplicate key '" + persona + "'");
        ok = false;
      } else if (w == null) {
        ok = false;
      } else {
        into.put(persona, w);
      }
    }
    if (ok && into.isEmpty()) {
      problem(path, "a rule must add to at least one persona");
      return false;
    }
    return ok;
  }

  private void assignment(
      String path, int index, String valueField, List<Assignment> into, List<Integer> indices)
      throws IOException {
    String[] value = new String[1];
    Integer[] priority = new Integer[1];
    Condition[] when = {Condition.always()};
    boolean[] ok = {true};
    Map<String, Field> f = new LinkedHashMap<>();
    f.put(valueField, at -> value[0] = string(at));
    f.put("priority", at -> priority[0] = integer(at));
    f.put("when", at -> ok[0] &= (when[0] = conditions.read(at)) != null);
    JsonLocation start = here();
    if (object(path, f, Set.of(valueField, "priority"))
        && ok[0]
        && value[0] != null
        && priority[0] != null) {
      build(
          start,
          path,
          () -> {
            into.add(new Assignment(value[0], priority[0], when[0]));
            indices.add(index);
          });
    }
  }

  /** One entry of the vocabulary as the file gives it, with its path. */
  private record Entry(Vocabulary.Use use, Vocabulary.Source source, String text, String path) {}

  /**
   * Reads the vocabulary: per counter ({@code sale_views}, {@code gift_views}, {@code price_sorts})
   * the entries of each source, added to the built-in defaults unless {@code "defaults": false};
   * each bad entry is reported where it is.
   */
  private void vocabulary(String path) throws IOException {
    boolean[] defaults = {true};
    List<Entry> entries = new ArrayList<>();
    Map<String, Field> f = new LinkedHashMap<>();
    f.put(
        "defaults",
        at -> {
          Boolean b = bool(at);
          defaults[0] = b == null || b;
        });
    for (Vocabulary.Use use : Vocabulary.Use.values()) {
      f.put(
          use.key(),
          at -> {
            Map<String, Field> sources = new LinkedHashMap<>();
            for (Vocabulary.Source source : Vocabulary.Source.values()) {
              sources.put(
                  source.key(),
                  list ->
                      array(
                          list,
                          (entryPath, i) -> {
                            String text = string(entryPath);
                            if (text != null) {
                              entries.add(new Entry(use, source, text, entryPath));
                            }
                          }));
            }
            object(at, sources, Set.of());
          });
    }
    int before = problems.size();
    if (!object(path, f, Set.of())) {
      return;
    }
    Vocabulary.Builder b = defaults[0] ? Vocabulary.builder() : Vocabulary.none().toBuilder();
    for (Entry e : entries) {
      try {
        b.add(e.use(), e.source(), List.of(e.text()));
      } catch (IllegalArgumentException x) {
        problem(locations.get(e.path()), e.path(), "'" + e.text() + "': " + x.getMessage());
      }
    }
    if (problems.size() == before) {
      vocabulary = b.build();
    }
  }

  void build(JsonLocation at, String path, Runnable make) {
    try {
      make.run();
    } catch (IllegalArgumentException e) {
      problem(at, path, e.getMessage());
    }
  }
}
