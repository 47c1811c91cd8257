package dev.persona.rules.internal;

import dev.persona.ruleset.Experiment;
import dev.persona.ruleset.Optimization;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads a placement's {@code experiment} and {@code optimize} objects. */
final class PlacementModeReader {
  private final JsonReading json;

  PlacementModeReader(JsonReading json) {
    this.json = json;
  }

  /**
   * Reads {@code {"id": ..., "arms": [{"variant": ..., "percent": ...}], "bucketing": ...,
   * "sticky": ..., "start": ..., "end": ...}}; null after a problem. A start or end that is not an
   * ISO-8601 instant is reported where its value stands.
   */
  Experiment experiment(String path) throws IOException {
    String[] id = new String[1];
    List<Experiment.Arm> arms = new ArrayList<>();
    String[] bucketing = {"persona"};
    String[] sticky = {"off"};
    Instant[] start = new Instant[1];
    Instant[] end = new Instant[1];
    boolean[] ok = {true};
    boolean[] armsOk = {true};
    Map<String, JsonReading.Field> f = new LinkedHashMap<>();
    f.put("id", at -> ok[0] &= (id[0] = json.string(at)) != null);
    f.put("arms", at -> ok[0] &= json.array(at, (ap, i) -> armsOk[0] &= arm(ap, arms)));
    f.put(
        "bucketing",
        at -> ok[0] &= (bucketing[0] = json.choice(at, "persona", "optimizely")) != null);
    f.put("sticky", at -> ok[0] &= (sticky[0] = json.choice(at, "off", "session", "user")) != null);
    f.put("start", at -> ok[0] &= (start[0] = instant(at, "start")) != null);
    f.put("end", at -> ok[0] &= (end[0] = instant(at, "end")) != null);
    var here = json.here();
    if (!json.object(path, f, Set.of("id", "arms")) || !ok[0] || !armsOk[0]) {
      return null;
    }
    try {
      return new Experiment(
          id[0],
          arms,
          Experiment.Bucketing.valueOf(bucketing[0].toUpperCase(Locale.ROOT)),
          Experiment.Sticky.valueOf(sticky[0].toUpperCase(Locale.ROOT)),
          start[0],
          end[0]);
    } catch (IllegalArgumentException e) {
      json.problem(here, path, e.getMessage());
      return null;
    }
  }

  /** Reads an ISO-8601 instant, such as {@code "2026-11-23T00:00:00Z"}; null if bad. */
  private Instant instant(String path, String field) throws IOException {
    String text = json.string(path);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      json.problem(
          path,
          field
              + " must be an ISO-8601 instant such as 2026-11-23T00:00:00Z, found '"
              + text
              + "'");
      return null;
    }
  }

  private boolean arm(String path, List<Experiment.Arm> into) throws IOException {
    String[] variant = new String[1];
    Double[] percent = new Double[1];
    boolean[] ok = {true};
    Map<String, JsonReading.Field> f = new LinkedHashMap<>();
    f.put("variant", at -> ok[0] &= (variant[0] = json.string(at)) != null);
    f.put("percent", at -> ok[0] &= (percent[0] = json.number(at)) != null);
    var start = json.here();
    if (!json.object(path, f, Set.of("variant", "percent")) || !ok[0]) {
      return false;
    }
    try {
      into.add(new Experiment.Arm(variant[0], percent[0]));
      return true;
    } catch (IllegalArgumentException e) {
      json.problem(start, path, e.getMessage());
      return false;
    }
  }

  /**
   * Reads {@code {"goal": ..., "warmup": ..., "exploration": ..., "half_life": ...}}; null after a
   * problem. A bad half-life is reported where its value stands.
   */
  Optimization optimization(String path) throws IOException {
    Optimization d = Optimization.DEFAULTS;
    String[] goal = {d.goal().name().toLowerCase(Locale.ROOT)};
    Integer[] warmup = {d.warmup()};
    Double[] exploration = {d.exploration()};
    Integer[] halfLife = {d.halfLife()};
    boolean[] ok = {true};
    Map<String, JsonReading.Field> f = new LinkedHashMap<>();
    f.put(
        "goal",
        at -> ok[0] &= (goal[0] = json.choice(at, "click", "add_to_cart", "purchase")) != null);
    f.put("warmup", at -> ok[0] &= (warmup[0] = json.integer(at)) != null);
    f.put("exploration", at -> ok[0] &= (exploration[0] = json.number(at)) != null);
    f.put("half_life", at -> ok[0] &= (halfLife[0] = halfLife(at)) != null);
    var start = json.here();
    if (!json.object(path, f, Set.of()) || !ok[0]) {
      return null;
    }
    try {
      return new Optimization(
          Optimization.Goal.valueOf(goal[0].toUpperCase(Locale.ROOT)),
          warmup[0],
          exploration[0],
          halfLife[0]);
    } catch (IllegalArgumentException e) {
      json.problem(start, path, e.getMessage());
      return null;
    }
  }

  /** Reads a half-life of evidence: 0, or whole exposures at least the minimum; null if bad. */
  private Integer halfLife(String path) throws IOException {
    Integer h = json.integer(path);
    if (h != null && h != 0 && h < Optimization.MIN_HALF_LIFE) {
      json.problem(
          path,
          "half_life must be 0 (never forget) or at least "
              + Optimization.MIN_HALF_LIFE
              + " exposures, was "
              + h);
      return null;
    }
    return h;
  }
}
