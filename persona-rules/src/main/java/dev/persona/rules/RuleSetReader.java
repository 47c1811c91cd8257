package dev.persona.rules;

import dev.persona.PersonaEngine;
import dev.persona.SignalSpec;
import dev.persona.rules.internal.RuleFiles;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Reads rule files (the JSON format of {@code docs/rules.md}) into {@link RuleSet}s, checking them
 * whole: a file either loads completely or throws a {@link RuleSetException} listing every problem,
 * each as {@code FILE:LINE:COL: message (at $.json.path)}.
 *
 * <pre>{@code
 * RuleSet rules = RuleSetReader.create().read(Path.of("rules.json"));
 * RuleSet defaults = RuleSetReader.defaultRuleSet();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class RuleSetReader {
  /** The classpath resource of the built-in default rule set. */
  public static final String DEFAULT_RESOURCE = "dev/persona/rules/default-rules.json";

  private final List<SignalSpec> signals;

  private RuleSetReader(List<SignalSpec> signals) {
    this.signals = signals;
  }

  /**
   * Returns a reader whose rules may test the engine's built-in signals and the signals a file
   * declares.
   *
   * @return a reader
   */
  public static RuleSetReader create() {
    return new RuleSetReader(PersonaEngine.builtInSignals());
  }

  /**
   * Returns the built-in default rule set, which embodies the seven shopper personas, the lifecycle
   * segments and journey stages, and the placements {@code home.hero}, {@code product.badge},
   * {@code cart.message} and {@code email.subject}.
   *
   * @return the default rule set
   */
  public static RuleSet defaultRuleSet() {
    return create().readResource(DEFAULT_RESOURCE);
  }

  /**
   * Returns a reader that also knows {@code extra} signals, such as those of custom extractors
   * ({@code engine.signals()} gives all an engine knows).
   *
   * @param extra more signals rules may test
   * @return a new reader
   */
  public RuleSetReader withSignals(Collection<SignalSpec> extra) {
    Objects.requireNonNull(extra, "extra");
    List<SignalSpec> all = new ArrayList<>(signals);
    for (SignalSpec s : extra) {
      if (all.stream().noneMatch(x -> x.key().equals(s.key()))) {
        all.add(s);
      }
    }
    return new RuleSetReader(List.copyOf(all));
  }

  /**
   * Reads a rule file.
   *
   * @param file the file, UTF-8
   * @return the rule set
   * @throws RuleSetException listing every problem of the file
   * @throws UncheckedIOException if the file cannot be read
   */
  public RuleSet read(Path file) {
    Objects.requireNonNull(file, "file");
    String source = file.toString();
    byte[] bytes;
    try {
      bytes = RuleFiles.readFile(file, source);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return RuleFiles.parse(source, bytes, signals);
  }

  /**
   * Reads a rule set from a file's bytes, exactly those and no others.
   *
   * @param bytes the file's whole content, UTF-8
   * @param sourceName the name messages give it
   * @return the rule set
   * @throws RuleSetException listing every problem
   */
  RuleSet read(byte[] bytes, String sourceName) {
    return RuleFiles.parse(sourceName, bytes, signals);
  }

  /**
   * Reads a rule set from a string.
   *
   * @param json the rule file's text
   * @param sourceName the name messages give it, such as {@code inline.json}
   * @return the rule set
   * @throws RuleSetException listing every problem
   */
  public RuleSet read(String json, String sourceName) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(sourceName, "sourceName");
    return RuleFiles.parse(sourceName, json.getBytes(StandardCharsets.UTF_8), signals);
  }

  /**
   * Reads a rule file from the classpath.
   *
   * @param name the resource name, such as {@code rules/store.json}
   * @return the rule set
   * @throws RuleSetException listing every problem
   * @throws UncheckedIOException if there is no such resource or it cannot be read
   */
  public RuleSet readResource(String name) {
    Objects.requireNonNull(name, "name");
    String path = name.startsWith("/") ? name.substring(1) : name;
    try (InputStream in = open(path)) {
      if (in == null) {
        throw new UncheckedIOException(
            new IOException("no resource " + path + " on the classpath"));
      }
      String source = "classpath:" + path;
      return RuleFiles.parse(source, RuleFiles.readBounded(in, source), signals);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + path + ": " + e.getMessage(), e);
    }
  }

  private static InputStream open(String path) {
    InputStream in = RuleSetReader.class.getResourceAsStream("/" + path);
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    if (in == null && context != null) {
      in = context.getResourceAsStream(path);
    }
    return in;
  }

  /**
   * Returns the signals rules read by this reader may test, beyond those a file declares.
   *
   * @return the known signals
   */
  public List<SignalSpec> signals() {
    return signals;
  }
}
