package dev.persona.rules.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's arguments: options that take a value ({@code --rules FILE} or {@code --rules=FILE})
 * and positional arguments; {@code --} ends the options.
 */
final class Args {
  private final Map<String, String> options;
  private final List<String> positional;

  private Args(Map<String, String> options, List<String> positional) {
    this.options = options;
    this.positional = positional;
  }

  /**
   * Returns whether the arguments ask for help ({@code -h} or {@code --help} before {@code --}).
   */
  static boolean wantsHelp(List<String> raw) {
    for (String a : raw) {
      if (a.equals("--")) {
        return false;
      }
      if (a.equals("-h") || a.equals("--help")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses arguments.
   *
   * @param raw the arguments after the command name
   * @param valued the names of the options that take a value, such as {@code --rules}
   * @throws UserError of usage, for an unknown or repeated option or a missing value
   */
  static Args parse(List<String> raw, Set<String> valued) throws UserError {
    Map<String, String> options = new HashMap<>();
    List<String> positional = new ArrayList<>();
    boolean onlyPositional = false;
    for (int i = 0; i < raw.size(); i++) {
      String a = raw.get(i);
      if (onlyPositional || !a.startsWith("-") || a.equals("-")) {
        positional.add(a);
      } else if (a.equals("--")) {
        onlyPositional = true;
      } else {
        int eq = a.indexOf('=');
        String name = eq < 0 ? a : a.substring(0, eq);
        if (!valued.contains(name)) {
          throw UserError.usage("unknown option " + name);
        }
        String value;
        if (eq >= 0) {
          value = a.substring(eq + 1);
        } else if (i + 1 < raw.size()) {
          value = raw.get(++i);
        } else {
          throw UserError.usage(name + " needs a value");
        }
        if (value.isEmpty()) {
          throw UserError.usage(name + " needs a value");
        }
        if (options.putIfAbsent(name, value) != null) {
          throw UserError.usage(name + " is given twice");
        }
      }
    }
    return new Args(Map.copyOf(options), List.copyOf(positional));
  }

  /** Returns an option's value, or {@code fallback} when it was not given. */
  String option(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  /** Returns an option's value, or null when it was not given. */
  String option(String name) {
    return options.get(name);
  }

  /** Returns the positional arguments. */
  List<String> positional() {
    return positional;
  }

  /**
   * Returns the one positional argument.
   *
   * @param what what it is, for the message, such as {@code SESSIONS.jsonl}
   * @throws UserError of usage when there is none or more than one
   */
  String single(String what) throws UserError {
    if (positional.size() != 1) {
      throw UserError.usage(
          positional.isEmpty()
              ? "missing " + what
              : "expected one " + what + ", got " + positional.size() + " arguments");
    }
    return positional.get(0);
  }
}
