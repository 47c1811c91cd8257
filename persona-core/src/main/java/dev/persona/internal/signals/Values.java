package dev.persona.internal.signals;

import dev.persona.SignalType;
import dev.persona.internal.report.InputReport;
import java.lang.reflect.Array;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** Turns untrusted attribute values into signal values of a type, within limits. */
final class Values {
  private static final long MAX_MILLIS = 1L << 52;

  private final int maxStringLength;
  private final int maxSetSize;

  Values(int maxStringLength, int maxSetSize) {
    this.maxStringLength = maxStringLength;
    this.maxSetSize = maxSetSize;
  }

  /**
   * Returns {@code raw} as a value of {@code type} (or of the type it has, when {@code type} is
   * null), or null when it cannot be one; reports what it rejects and truncates.
   */
  Object normalize(String key, Object raw, SignalType type, InputReport report) {
    SignalType t = type != null ? type : inferType(raw);
    if (t == null) {
      report.rejected("'" + key + "' has an unsupported type");
      return null;
    }
    switch (t) {
      case TEXT:
        if (raw instanceof String s) {
          return text(key, s, report);
        }
        break;
      case NUMBER:
        if (raw instanceof Number n && Double.isFinite(n.doubleValue())) {
          return n.doubleValue();
        }
        break;
      case FLAG:
        if (raw instanceof Boolean b) {
          return b;
        }
        if (raw instanceof String s
            && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
          return Boolean.valueOf(s);
        }
        break;
      default:
        Set<String> set = set(key, raw, report);
        if (set != null) {
          return set;
        }
    }
    report.rejected("'" + key + "' is not a valid " + t);
    return null;
  }

  String text(String key, String s, InputReport report) {
    if (s.length() > maxStringLength) {
      report.truncated("'" + key + "' longer than " + maxStringLength + " characters");
      return s.substring(0, maxStringLength);
    }
    return s;
  }

  /** Returns lower-cased, trimmed, bounded text, or null for a non-string or blank value. */
  String attribute(String name, Object raw, InputReport report) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof String s)) {
      report.rejected("event attribute '" + name + "' is not a string");
      return null;
    }
    // cut after lower-casing, which can lengthen text ('İ' becomes two characters)
    String t = text(name, s.strip().toLowerCase(Locale.ROOT), report);
    return t.isEmpty() ? null : t;
  }

  /**
   * Returns an id as given (trimmed, bounded, case kept): a string, or a whole number written
   * without a fraction; null for a blank or absent value.
   */
  String id(String name, Object raw, InputReport report) {
    if (raw == null) {
      return null;
    }
    if (raw instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        return Long.toString((long) d);
      }
    } else if (raw instanceof String s) {
      String t = text(name, s.strip(), report);
      return t.isEmpty() ? null : t;
    }
    report.rejected("event attribute '" + name + "' is not a string or a whole number");
    return null;
  }

  private Set<String> set(String key, Object raw, InputReport report) {
    Iterable<?> items;
    if (raw instanceof String s) {
      return Set.of(text(key, s, report));
    } else if (raw instanceof Collection<?> c) {
      items = c;
    } else if (raw != null
        && raw.getClass().isArray()
        && !raw.getClass().getComponentType().isPrimitive()) {
      Object[] array = new Object[Math.min(Array.getLength(raw), maxSetSize + 1)];
      for (int i = 0; i < array.length; i++) {
        array[i] = Array.get(raw, i);
      }
      items = java.util.Arrays.asList(array);
    } else {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (Object o : items) {
      if (out.size() == maxSetSize) {
        report.truncated("'" + key + "' has more than " + maxSetSize + " elements");
        break;
      }
      if (o instanceof String s) {
        out.add(text(key, s, report));
      } else {
        report.rejected("'" + key + "' holds an element that is not a string");
      }
    }
    return Collections.unmodifiableSet(out);
  }

  private static SignalType inferType(Object raw) {
    if (raw instanceof String) {
      return SignalType.TEXT;
    } else if (raw instanceof Number) {
      return SignalType.NUMBER;
    } else if (raw instanceof Boolean) {
      return SignalType.FLAG;
    } else if (raw instanceof Collection<?> || (raw != null && raw.getClass().isArray())) {
      return SignalType.SET;
    }
    return null;
  }

  static boolean isTrue(Object raw) {
    return Boolean.TRUE.equals(raw) || (raw instanceof String s && s.equalsIgnoreCase("true"));
  }

  /** Returns epoch millis, clamped to about ±140,000 years so that arithmetic cannot overflow. */
  static long millis(Instant t) {
    if (t.getEpochSecond() > MAX_MILLIS / 1000) {
      return MAX_MILLIS;
    }
    if (t.getEpochSecond() < -MAX_MILLIS / 1000) {
      return -MAX_MILLIS;
    }
    return t.toEpochMilli();
  }

  /** Returns {@code epochMillis} clamped by its seconds exactly as {@link #millis(Instant)}. */
  static long millis(long epochMillis) {
    long seconds = Math.floorDiv(epochMillis, 1000);
    if (seconds > MAX_MILLIS / 1000) {
      return MAX_MILLIS;
    }
    if (seconds < -MAX_MILLIS / 1000) {
      return -MAX_MILLIS;
    }
    return epochMillis;
  }
}
