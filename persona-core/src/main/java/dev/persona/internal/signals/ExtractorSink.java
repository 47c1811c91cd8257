package dev.persona.internal.signals;

import dev.persona.Signal;
import dev.persona.SignalKind;
import dev.persona.SignalType;
import dev.persona.internal.report.InputReport;
import dev.persona.internal.rules.SignalFrame;
import dev.persona.spi.SignalSink;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@link SignalSink} handed to the extractors of one request, one after the other: accepts only
 * the keys the current extractor declared, with values of the declared type, and records them as
 * bare values by {@link ContextSignals} id, in order of arrival. One per thread, reused request
 * after request; not thread-safe.
 */
public final class ExtractorSink implements SignalSink {
  private static final Object NUMBER = new Object();
  private static final Object[] NONE = new Object[0];

  /**
   * Unused elements at both ends of each array: a sink lives as long as its thread and is written
   * on every request, and the collector may move it next to another thread's sink or to data all
   * threads read; the padding keeps their writes off each other's cache lines.
   */
  private static final int PAD = 32;

  private final ContextSignals table;
  private final int maxStringLength;
  private final int[] ids;
  private final Object[] values;
  private final double[] numbers;

  /** For each id, the number of the request that last emitted it; {@code request} is this one's. */
  private final int[] emitted;

  /** For each id emitted in this request, where it was recorded. */
  private final int[] position;

  /**
   * The sink's cursor, written many times a request: the request number, the current extractor, the
   * start of its values, the guess of its next id, the count of values. Kept inside a padded array
   * rather than in fields, so that no other thread's object shares their cache line.
   */
  private final int[] at = new int[2 * PAD + 5];

  private static final int REQUEST = PAD;
  private static final int EXTRACTOR = PAD + 1;
  private static final int START = PAD + 2;
  private static final int GUESS = PAD + 3;
  private static final int COUNT = PAD + 4;

  private InputReport report;

  public ExtractorSink(ContextSignals table, int maxStringLength) {
    this.table = table;
    this.maxStringLength = maxStringLength;
    this.ids = new int[table.size() + 2 * PAD];
    this.values = new Object[table.size() + 2 * PAD];
    this.numbers = new double[table.size() + 2 * PAD];
    this.emitted = new int[table.size() + 2 * PAD];
    this.position = new int[table.size() + 2 * PAD];
  }

  /** Empties the sink for a new request, whose problems go to {@code report}. */
  public void reset(InputReport report) {
    if (this.report != report) {
      this.report = report;
    }
    Arrays.fill(values, PAD, PAD + at[COUNT], null);
    at[COUNT] = 0;
    at[START] = 0;
    if (at[REQUEST]++ == -1) {
      Arrays.fill(emitted, 0);
      at[REQUEST] = 1;
    }
  }

  /** Points this sink at extractor {@code x} of the {@link ContextSignals}. */
  public void next(int x) {
    at[EXTRACTOR] = x;
    at[START] = at[COUNT];
    at[GUESS] = table.first(x);
  }

  /** Drops what the current extractor emitted, when it failed. */
  public void dropCurrent() {
    for (int i = PAD + at[START]; i < PAD + at[COUNT]; i++) {
      emitted[PAD + ids[i]] = 0;
    }
    Arrays.fill(values, PAD + at[START], PAD + at[COUNT], null);
    at[COUNT] = at[START];
  }

  @Override
  public void text(String key, @Nullable String value) {
    if (value == null) {
      return;
    }
    int id = accept(key, SignalType.TEXT);
    if (id >= 0) {
      String v = value;
      if (v.length() > maxStringLength) {
        report.truncated("signal '" + key + "' longer than " + maxStringLength + " characters");
        v = v.substring(0, maxStringLength);
      }
      add(id, v, 0);
    }
  }

  @Override
  public void number(String key, double value) {
    if (Double.isFinite(value)) {
      int id = accept(key, SignalType.NUMBER);
      if (id >= 0) {
        add(id, NUMBER, value);
      }
    }
  }

  @Override
  public void flag(String key, boolean value) {
    int id = accept(key, SignalType.FLAG);
    if (id >= 0) {
      add(id, value ? Boolean.TRUE : Boolean.FALSE, value ? 1 : 0);
    }
  }

  /** Returns the key's id when the current extractor may emit it now, else -1. */
  private int accept(String key, SignalType type) {
    int id = key == null ? -1 : table.id(at[EXTRACTOR], key, at[GUESS]);
    if (id < 0 || table.type(id) != type) {
      report.rejected(
          "extractor '"
              + table.source(at[EXTRACTOR])
              + "' emitted an undeclared or mistyped signal");
      return -1;
    }
    if (emitted[PAD + id] == at[REQUEST]) {
      return -1;
    }
    emitted[PAD + id] = at[REQUEST];
    at[GUESS] = id + 1;
    return id;
  }

  private void add(int id, Object value, double number) {
    int i = PAD + at[COUNT]++;
    position[PAD + id] = i - PAD;
    ids[i] = id;
    values[i] = value;
    numbers[i] = number;
  }

  /** Returns the number of signals recorded. */
  public int count() {
    return at[COUNT];
  }

  /** Returns the id of the {@code i}th signal recorded. */
  public int id(int i) {
    return ids[PAD + i];
  }

  /** Returns the {@code i}th value: a String, Boolean or Double. */
  public Object value(int i) {
    Object v = values[PAD + i];
    return v == NUMBER ? (Object) numbers[PAD + i] : v;
  }

  /**
   * Returns the value recorded for signal {@code id} in this request, as {@link #value}; or null.
   */
  public @Nullable Object valueOf(int id) {
    return id >= 0 && emitted[PAD + id] == at[REQUEST] ? value(position[PAD + id]) : null;
  }

  /** Returns whether the {@code i}th value is a NUMBER, and {@link #number} gives it. */
  public boolean isNumber(int i) {
    return values[PAD + i] == NUMBER;
  }

  /** Returns the {@code i}th value as a number: a NUMBER's value, a FLAG's 1 or 0. */
  public double number(int i) {
    return numbers[PAD + i];
  }

  /** Puts the recorded values into {@code frame}, at {@code slots}. */
  public void fill(SignalFrame frame, SignalSlots slots) {
    for (int i = PAD; i < PAD + at[COUNT]; i++) {
      int slot = slots.context(ids[i]);
      if (slot >= 0) {
        Object v = values[i];
        if (v == NUMBER) {
          frame.putNumber(slot, numbers[i]);
        } else if (v instanceof Boolean b) {
          frame.putFlag(slot, b);
        } else {
          frame.putValue(slot, v);
        }
      }
    }
  }

  /** Returns a sink for one call of a custom extractor, which ignores what comes after the call. */
  Call call() {
    return new Call(this);
  }

  /** Forwards to the request's sink until closed. */
  static final class Call implements SignalSink {
    private ExtractorSink target;

    Call(ExtractorSink target) {
      this.target = target;
    }

    void close() {
      target = null;
    }

    @Override
    public void text(String key, @Nullable String value) {
      ExtractorSink t = target;
      if (t != null) {
        t.text(key, value);
      }
    }

    @Override
    public void number(String key, double value) {
      ExtractorSink t = target;
      if (t != null) {
        t.number(key, value);
      }
    }

    @Override
    public void flag(String key, boolean value) {
      ExtractorSink t = target;
      if (t != null) {
        t.flag(key, value);
      }
    }
  }

  /**
   * Returns the recorded signals compactly, to keep with a decision: the values in order of
   * arrival, each NUMBER as a {@link Double}, then their ids as an {@code int[]}. Two bulk copies,
   * without boxing an id: this runs on every request, and a copy element by element was the
   * request's costliest line.
   */
  public Object[] snapshot() {
    int n = at[COUNT];
    if (n == 0) {
      return NONE;
    }
    Object[] out = Arrays.copyOfRange(values, PAD, PAD + n + 1);
    for (int i = 0; i < n; i++) {
      if (out[i] == NUMBER) {
        out[i] = numbers[PAD + i];
      }
    }
    out[n] = Arrays.copyOfRange(ids, PAD, PAD + n);
    return out;
  }

  /** Adds the signals of a {@link #snapshot} to {@code out}. */
  static void addTo(List<Signal> out, ContextSignals table, Object[] snapshot) {
    if (snapshot.length == 0) {
      return;
    }
    int[] ids = (int[]) snapshot[snapshot.length - 1];
    for (int i = 0; i < ids.length; i++) {
      int id = ids[i];
      out.add(
          new Signal(
              table.key(id),
              SignalKind.CONTEXTUAL,
              snapshot[i],
              table.source(table.extractorOf(id)),
              1.0));
    }
  }
}
