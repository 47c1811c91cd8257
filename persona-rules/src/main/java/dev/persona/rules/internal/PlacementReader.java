package dev.persona.rules.internal;

import com.fasterxml.jackson.core.JsonLocation;
import dev.persona.rules.JsonContent;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Experiment;
import dev.persona.ruleset.Optimization;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Variant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a rule file's placements, their variants and the variants' content, for the parser. */
final class PlacementReader {
  private final RuleFileParser parser;
  private final byte[] bytes;
  private final PlacementModeReader modes;

  PlacementReader(RuleFileParser parser, byte[] bytes) {
    this.parser = parser;
    this.bytes = bytes;
    this.modes = new PlacementModeReader(parser);
  }

  /** Reads one placement and its variants; adds it to the parser's placements when valid. */
  void placement(String path, int index) throws IOException {
    String[] id = new String[1];
    List<Variant> variants = new ArrayList<>();
    Experiment[] experiment = new Experiment[1];
    Optimization[] optimization = new Optimization[1];
    boolean[] ok = {true};
    Map<String, JsonReading.Field> f = new LinkedHashMap<>();
    f.put("id", at -> id[0] = parser.string(at));
    f.put("experiment", at -> ok[0] &= (experiment[0] = modes.experiment(at)) != null);
    f.put("optimize", at -> ok[0] &= (optimization[0] = modes.optimization(at)) != null);
    boolean[] variantsOk = {true};
    f.put(
        "variants",
        at -> ok[0] &= parser.array(at, (vp, i) -> variantsOk[0] &= variant(vp, variants)));
    JsonLocation start = parser.here();
    if (!parser.object(path, f, Set.of("id", "variants"))
        || !ok[0]
        || !variantsOk[0]
        || id[0] == null) {
      return;
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < variants.size(); i++) {
      if (!ids.add(variants.get(i).id())) {
        String vp = path + ".variants[" + i + "].id";
        parser.problem(
            parser.locations.get(vp),
            vp,
            "duplicate variant id '" + variants.get(i).id() + "' in placement '" + id[0] + "'");
        return;
      }
    }
    if (parser.unique("placement", id[0], path)) {
      parser.build(
          start,
          path,
          () -> {
            parser.placements.add(new Placement(id[0], variants, experiment[0], optimization[0]));
            parser.placementIndex.add(index);
          });
    }
  }

  private boolean variant(String path, List<Variant> into) throws IOException {
    String[] id = new String[1];
    List<String> targets = new ArrayList<>();
    Condition[] when = {Condition.always()};
    Double[] weight = {1.0};
    Boolean[] isDefault = {false};
    Object[] content = new Object[1];
    boolean[] ok = {true};
    Map<String, JsonReading.Field> f = new LinkedHashMap<>();
    f.put("id", at -> id[0] = parser.string(at));
    f.put(
        "targets",
        at -> {
          List<String> read = parser.strings(at);
          for (int i = 0; i < read.size(); i++) {
            parser.targetText.put(at + "[" + i + "]", read.get(i));
          }
          targets.addAll(read);
        });
    f.put("when", at -> ok[0] &= (when[0] = parser.conditions.read(at)) != null);
    f.put("weight", at -> ok[0] &= (weight[0] = parser.number(at)) != null);
    f.put("default", at -> ok[0] &= (isDefault[0] = parser.bool(at)) != null);
    f.put("content", at -> content[0] = content(at));
    JsonLocation start = parser.here();
    if (!parser.object(path, f, Set.of("id")) || !ok[0] || id[0] == null) {
      return false;
    }
    int before = parser.problems.size();
    parser.build(
        start,
        path,
        () -> {
          Variant.Builder b =
              Variant.builder(id[0]).targets(targets).when(when[0]).weight(weight[0]);
          if (isDefault[0]) {
            b.asDefault();
          }
          into.add(b.content(content[0]).build());
        });
    return parser.problems.size() == before;
  }

  /** Returns the exact text of the value at the current token. */
  private JsonContent content(String path) throws IOException {
    parser.locations.put(path, parser.here());
    long start = parser.p.currentTokenLocation().getByteOffset();
    if (parser.p.currentToken().isScalarValue()) {
      parser.p.getText();
    }
    parser.p.skipChildren();
    parser.p.finishToken();
    long end = parser.p.currentLocation().getByteOffset();
    if (start < 0 || end > bytes.length || end < start) {
      parser.problem(path, "could not capture the content's text");
      return null;
    }
    return new JsonContent(
        new String(bytes, (int) start, (int) (end - start), StandardCharsets.UTF_8).strip());
  }
}
