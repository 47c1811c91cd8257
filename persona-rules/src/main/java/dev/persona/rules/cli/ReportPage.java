package dev.persona.rules.cli;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Draws {@code persona report}'s page: one HTML file with its styles inline and its charts as SVG
 * drawn here, so that it needs no network and no script. Every name from the logs is escaped. Not
 * thread-safe.
 */
final class ReportPage {
  /** Below this sample-ratio p-value an experiment's split is called broken. */
  static final double SRM_ALPHA = 0.001;

  private static final String[] PALETTE = {
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#1f77b4", "#2ca02c"
  };
  private static final String[] METRIC_NAMES = {"click", "add to cart", "purchase"};
  private static final int WIDTH = 1100;
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:00", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final StringBuilder h = new StringBuilder(1 << 16);
  private int charts;

  private ReportPage() {}

  /** A row of a dot-and-whisker chart; {@code reference} NaN for none. */
  record Dot(String label, double value, double lo, double hi, double reference, String note) {}

  /** Returns the page. */
  static String render(
      ReportData data,
      List<String> files,
      EvaluateCommand.@Nullable Run evaluation,
      @Nullable String evaluationText,
      @Nullable String candidate) {
    ReportPage p = new ReportPage();
    p.page(data, files, evaluation, evaluationText, candidate);
    return p.h.toString();
  }

  private void page(
      ReportData data,
      List<String> files,
      EvaluateCommand.@Nullable Run evaluation,
      @Nullable String evaluationText,
      @Nullable String candidate) {
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<title>Persona report</title>\n<style>\n")
        .append("body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;")
        .append("margin:24px auto;max-width:1140px;color:#222;background:#fff}\n")
        .append("h1{font-size:26px}h2{font-size:20px;margin-top:36px;border-bottom:1px solid #ddd}")
        .append("h3{font-size:16px;margin-bottom:4px}\n")
        .append("svg{display:block;margin:8px 0}svg text{font-size:12px;fill:#333}\n")
        .append(".legend span{display:inline-block;margin-right:14px;font-size:13px}\n")
        .append(".legend i{display:inline-block;width:12px;height:12px;margin-right:4px;")
        .append("vertical-align:-1px}\n")
        .append(".fail{background:#fde2e1;border-left:4px solid #c0392b;padding:6px 10px}\n")
        .append(".ok{background:#e3f4e1;border-left:4px solid #2e7d32;padding:6px 10px}\n")
        .append(".note{color:#555;font-size:14px}pre{background:#f6f6f6;padding:10px;")
        .append("font-size:12px;overflow-x:auto}\n")
        .append("</style></head><body>\n<h1>Persona report</h1>\n");
    h.append("<p class=\"note\">").append(Text.count(data.decisions)).append(" decisions");
    if (data.decisions > 0) {
      h.append(" from ")
          .append(HOUR.format(Instant.ofEpochMilli(data.first)))
          .append(" to ")
          .append(HOUR.format(Instant.ofEpochMilli(data.last)))
          .append(" UTC");
    }
    h.append(", ")
        .append(Text.count(data.outcomes))
        .append(" outcomes (")
        .append(Text.count(data.joined))
        .append(" joined to their decision), from ")
        .append(files.size())
        .append(files.size() == 1 ? " log" : " logs")
        .append("; rule sets ")
        .append(esc(String.join(", ", data.rules.keySet())))
        .append(". Rates are per exposure where exposures were logged, else per decision;")
        .append(" intervals are 95% credible intervals (Beta posterior, uniform prior).")
        .append(" Times are UTC.</p>\n");
    personaMix(data);
    funnel(data);
    variants(data);
    holdout(data);
    experiments(data);
    bandits(data);
    candidate(evaluation, evaluationText, candidate);
    h.append("</body></html>\n");
  }

  // --- sections ---

  private void personaMix(ReportData data) {
    h.append("<h2>Persona mix over time</h2>\n");
    if (data.personaByHour.isEmpty()) {
      h.append("<p>No decisions in these logs.</p>\n");
      return;
    }
    boolean daily = data.last - data.first > 72 * ReportData.HOUR;
    SortedMap<Long, Map<String, long[]>> buckets = bucket(data.personaByHour, daily);
    h.append("<p class=\"note\">The share of decisions per primary persona, per ")
        .append(daily ? "day" : "hour")
        .append(".</p>\n");
    stacked("persona-mix", buckets, daily, "decisions");
  }

  private void funnel(ReportData data) {
    h.append("<h2>Lifecycle and journey stage</h2>\n")
        .append("<p class=\"note\">Decisions per segment, and the share of them followed by a")
        .append(" click, an add to cart and a purchase.</p>\n");
    h.append("<h3>Lifecycle</h3>\n");
    funnelBars("lifecycle", data.lifecycle);
    h.append("<h3>Journey stage</h3>\n");
    funnelBars("stage", data.stage);
  }

  private void variants(ReportData data) {
    h.append("<h2>Variants per placement and persona</h2>\n");
    if (data.placements.isEmpty()) {
      h.append("<p>No counted choices in these logs.</p>\n");
      return;
    }
    int i = 0;
    for (Map.Entry<String, ReportData.PlacementData> e : data.placements.entrySet()) {
      ReportData.PlacementData pd = e.getValue();
      boolean perExposure = pd.exposures > 0;
      List<ReportData.Counts> all = new ArrayList<>();
      pd.byPersona.values().forEach(m -> all.addAll(m.values()));
      int metric = metric(all, perExposure);
      h.append("<h3>")
          .append(esc(e.getKey()))
          .append(": ")
          .append(METRIC_NAMES[metric])
          .append(" rate per ")
          .append(perExposure ? "exposure" : "decision")
          .append("</h3>\n");
      List<Dot> dots = new ArrayList<>();
      List<Map.Entry<String, Map<String, ReportData.Counts>>> personas =
          new ArrayList<>(pd.byPersona.entrySet());
      personas.sort(
          Comparator.comparingLong(
                  (Map.Entry<String, Map<String, ReportData.Counts>> p) -> -total(p.getValue()))
              .thenComparing(Map.Entry::getKey));
      for (Map.Entry<String, Map<String, ReportData.Counts>> p : personas) {
        for (Map.Entry<String, ReportData.Counts> v : p.getValue().entrySet()) {
          long[] c = v.getValue().of(perExposure);
          if (c[0] == 0) {
            continue;
          }
          dots.add(rate(p.getKey() + " \u00b7 " + v.getKey(), c, metric, perExposure));
        }
      }
      dotChart("variants-" + i++, dots, "no " + (perExposure ? "exposures" : "decisions"));
    }
  }

  private void holdout(ReportData data) {
    h.append("<h2>The holdout's lift</h2>\n");
    if (data.holdoutDecisions == 0) {
      h.append("<p>No decision in these logs was in the holdout, so there is no baseline to")
          .append(" measure the lift against.</p>\n");
      return;
    }
    h.append("<p class=\"note\">")
        .append(Text.count(data.holdoutDecisions))
        .append(" decisions were in the holdout, which sees every placement's default. The lift")
        .append(" is the personalized rate over the holdout's, less one.</p>\n");
    List<Dot> dots = new ArrayList<>();
    StringBuilder lifts = new StringBuilder();
    for (Map.Entry<String, ReportData.PlacementData> e : data.placements.entrySet()) {
      ReportData.PlacementData pd = e.getValue();
      boolean perExposure = pd.exposures > 0;
      long[] held = pd.holdout.of(perExposure);
      long[] pers = pd.personalized.of(perExposure);
      if (held[0] == 0 || pers[0] == 0) {
        continue;
      }
      int metric = metric(List.of(pd.holdout, pd.personalized), perExposure);
      dots.add(rate(e.getKey() + " \u00b7 holdout", held, metric, perExposure));
      dots.add(rate(e.getKey() + " \u00b7 personalized", pers, metric, perExposure));
      double hr = (double) held[metric + 1] / held[0];
      double pr = (double) pers[metric + 1] / pers[0];
      lifts
          .append("<li>")
          .append(esc(e.getKey()))
          .append(": ")
          .append(METRIC_NAMES[metric])
          .append(" rate ")
          .append(pct(pr))
          .append(" personalized against ")
          .append(pct(hr))
          .append(" in the holdout: lift ")
          .append(hr > 0 ? signedPct(pr / hr - 1) : "not defined (no holdout successes)")
          .append("</li>\n");
    }
    if (dots.isEmpty()) {
      h.append("<p>No placement has both holdout and personalized choices.</p>\n");
      return;
    }
    dotChart("holdout", dots, "");
    h.append("<ul>\n").append(lifts).append("</ul>\n");
  }

  private void experiments(ReportData data) {
    h.append("<h2>Experiments</h2>\n");
    if (data.experiments.isEmpty()) {
      h.append("<p>No experiment ran in these logs.</p>\n");
      return;
    }
    int i = 0;
    for (Map.Entry<String, ReportData.ExperimentData> e : data.experiments.entrySet()) {
      ReportData.ExperimentData x = e.getValue();
      ReportData.PlacementData pd = data.placement(x.placement);
      boolean perExposure = pd != null && pd.exposures > 0;
      h.append("<h3>")
          .append(esc(e.getKey()))
          .append(" on ")
          .append(esc(x.placement))
          .append("</h3>\n");
      List<String> arms = new ArrayList<>(x.arms.keySet());
      long[] observed = new long[arms.size()];
      double[] shares = new double[arms.size()];
      long n = 0;
      for (int a = 0; a < arms.size(); a++) {
        ReportData.Counts c = x.arms.get(arms.get(a));
        observed[a] = c.all[0];
        shares[a] = c.all[0] == 0 ? 0 : c.pSum / c.all[0];
        n += c.all[0];
      }
      double p = Bayes.sampleRatioP(observed, shares);
      double shareSum = 0;
      for (double s : shares) {
        shareSum += s;
      }
      if (p < SRM_ALPHA) {
        h.append("<p class=\"fail\"><b>Sample-ratio check FAILED</b> (chi-square p = ")
            .append(pval(p))
            .append("): the arms did not get the traffic their shares promise. Something")
            .append(" between assignment and logging is losing or adding visitors; do not trust")
            .append(" the rates below until it is found.</p>\n");
      } else {
        h.append("<p class=\"ok\">Sample-ratio check passed (chi-square p = ")
            .append(pval(p))
            .append(" on ")
            .append(Text.count(n))
            .append(" assignments).</p>\n");
      }
      List<Dot> split = new ArrayList<>();
      for (int a = 0; a < arms.size(); a++) {
        double expected = shareSum > 0 ? shares[a] / shareSum : Double.NaN;
        double[] ci = Bayes.interval(observed[a], n);
        split.add(
            new Dot(
                arms.get(a),
                n == 0 ? 0 : (double) observed[a] / n,
                ci[0],
                ci[1],
                expected,
                Text.count(observed[a])
                    + " assigned, expected "
                    + (Double.isNaN(expected) ? "-" : pct(expected))));
      }
      h.append("<p class=\"note\">Each arm's share of the assignments (dot, with its interval)")
          .append(" against the share its traffic split promises (tick).</p>\n");
      dotChart("experiment-" + i + "-split", split, "");
      int metric = metric(x.arms.values(), perExposure);
      List<Dot> rates = new ArrayList<>();
      for (String arm : arms) {
        long[] c = x.arms.get(arm).of(perExposure);
        if (c[0] > 0) {
          rates.add(rate(arm, c, metric, perExposure));
        }
      }
      h.append("<p class=\"note\">")
          .append(METRIC_NAMES[metric])
          .append(" rate per ")
          .append(perExposure ? "exposure" : "decision")
          .append(" by arm.</p>\n");
      dotChart("experiment-" + i++ + "-rates", rates, "no outcomes");
    }
  }

  private void bandits(ReportData data) {
    h.append("<h2>Optimized placements: the bandit's allocation</h2>\n");
    boolean any = false;
    int i = 0;
    for (Map.Entry<String, ReportData.PlacementData> e : data.placements.entrySet()) {
      if (e.getValue().optimized.isEmpty()) {
        continue;
      }
      any = true;
      boolean daily = data.last - data.first > 72 * ReportData.HOUR;
      h.append("<h3>")
          .append(esc(e.getKey()))
          .append("</h3>\n<p class=\"note\">The share of its optimized choices per variant, per ")
          .append(daily ? "day" : "hour")
          .append(".</p>\n");
      stacked("bandit-" + i++, bucket(e.getValue().optimized, daily), daily, "choices");
    }
    if (!any) {
      h.append("<p>No placement was optimized in these logs.</p>\n");
    }
  }

  private void candidate(
      EvaluateCommand.@Nullable Run evaluation, @Nullable String text, @Nullable String name) {
    if (evaluation == null) {
      return;
    }
    h.append("<h2>The candidate ").append(esc(String.valueOf(name))).append("</h2>\n");
    h.append("<p class=\"note\">What the candidate would have earned on these decisions,")
        .append(" self-normalized IPS (dot, with its 95% interval) against the logged rate")
        .append(" (tick), as <code>persona evaluate</code> estimates it (below in full).</p>\n");
    String placement = null;
    List<Dot> dots = new ArrayList<>();
    int i = 0;
    for (EvaluateCommand.Row r : evaluation.rows()) {
      if (!r.placement().equals(placement)) {
        if (!dots.isEmpty()) {
          dotChart("candidate-" + i++, dots, "");
          dots = new ArrayList<>();
        }
        placement = r.placement();
        h.append("<h3>")
            .append(esc(placement))
            .append(": click rate per ")
            .append(r.perExposure() ? "exposure" : "decision")
            .append("</h3>\n");
      }
      OffPolicy.Estimate e = r.summary().snips(0);
      double logged = r.summary().logged(0).value();
      if (Double.isNaN(e.value())) {
        continue;
      }
      dots.add(
          new Dot(
              r.group(),
              e.value(),
              Math.max(0, e.value() - e.half()),
              e.value() + e.half(),
              logged,
              "n "
                  + Text.count(r.summary().n)
                  + ", changes "
                  + Text.human(100 * r.summary().changedShare())
                  + "%"
                  + (r.summary().unsupportedShare() > 0
                      ? ", NOT SUPPORTED for "
                          + Text.human(100 * r.summary().unsupportedShare())
                          + "%"
                      : "")));
    }
    if (!dots.isEmpty()) {
      dotChart("candidate-" + i, dots, "");
    }
    if (text != null) {
      h.append("<pre>").append(esc(text)).append("</pre>\n");
    }
  }

  // --- charts ---

  /** A stacked bar chart of shares per time bucket, with a legend. */
  private void stacked(
      String id, SortedMap<Long, Map<String, long[]>> buckets, boolean daily, String unit) {
    Map<String, Long> totals = new LinkedHashMap<>();
    buckets.values().forEach(m -> m.forEach((k, v) -> totals.merge(k, v[0], Long::sum)));
    List<String> series = new ArrayList<>(totals.keySet());
    series.sort(Comparator.comparingLong((String s) -> -totals.get(s)).thenComparing(s -> s));
    int left = 48;
    int top = 10;
    int plotW = WIDTH - left - 10;
    int plotH = 220;
    int height = top + plotH + 30;
    open(id, height);
    int n = buckets.size();
    double bw = (double) plotW / n;
    axisY(left, top, plotW, plotH);
    int b = 0;
    int labelEvery = Math.max(1, (int) Math.ceil(n / 10.0));
    for (Map.Entry<Long, Map<String, long[]>> e : buckets.entrySet()) {
      long total = 0;
      for (long[] v : e.getValue().values()) {
        total += v[0];
      }
      double x = left + b * bw;
      double y = top + plotH;
      String when = (daily ? DAY : HOUR).format(Instant.ofEpochMilli(e.getKey()));
      for (int s = 0; s < series.size(); s++) {
        long[] v = e.getValue().get(series.get(s));
        if (v == null || v[0] == 0 || total == 0) {
          continue;
        }
        double hgt = plotH * (double) v[0] / total;
        y -= hgt;
        h.append("<rect class=\"point\" x=\"")
            .append(f(x))
            .append("\" y=\"")
            .append(f(y))
            .append("\" width=\"")
            .append(f(Math.max(0.5, bw - (bw > 4 ? 1 : 0))))
            .append("\" height=\"")
            .append(f(hgt))
            .append("\" fill=\"")
            .append(color(s))
            .append("\"><title>")
            .append(esc(when + ": " + series.get(s) + " " + pct((double) v[0] / total)))
            .append(" (")
            .append(Text.count(v[0]))
            .append(" of ")
            .append(Text.count(total))
            .append(' ')
            .append(unit)
            .append(")</title></rect>\n");
      }
      if (b % labelEvery == 0) {
        h.append("<text x=\"")
            .append(f(x))
            .append("\" y=\"")
            .append(top + plotH + 16)
            .append("\">")
            .append(esc(when.substring(5)))
            .append("</text>\n");
      }
      b++;
    }
    h.append("</svg>\n<div class=\"legend\">");
    for (int s = 0; s < series.size(); s++) {
      h.append("<span><i style=\"background:")
          .append(color(s))
          .append("\"></i>")
          .append(esc(series.get(s)))
          .append(" ")
          .append(Text.count(totals.get(series.get(s))))
          .append("</span>");
    }
    h.append("</div>\n");
  }

  /** Horizontal bars of decisions per segment, with their outcome shares. */
  private void funnelBars(String id, Map<String, ReportData.Counts> counts) {
    if (counts.isEmpty()) {
      h.append("<p>No decisions.</p>\n");
      return;
    }
    List<Map.Entry<String, ReportData.Counts>> rows = new ArrayList<>(counts.entrySet());
    rows.sort(
        Comparator.comparingLong((Map.Entry<String, ReportData.Counts> e) -> -e.getValue().all[0])
            .thenComparing(Map.Entry::getKey));
    long max = rows.get(0).getValue().all[0];
    int left = 180;
    int barMax = 520;
    int rowH = 26;
    open(id, rows.size() * rowH + 10);
    int y = 5;
    for (Map.Entry<String, ReportData.Counts> e : rows) {
      long[] c = e.getValue().all;
      double w = max == 0 ? 0 : barMax * (double) c[0] / max;
      h.append("<text x=\"")
          .append(left - 8)
          .append("\" y=\"")
          .append(y + 16)
          .append("\" text-anchor=\"end\">")
          .append(esc(e.getKey()))
          .append("</text><rect class=\"point\" x=\"")
          .append(left)
          .append("\" y=\"")
          .append(y + 3)
          .append("\" width=\"")
          .append(f(Math.max(1, w)))
          .append("\" height=\"")
          .append(rowH - 8)
          .append("\" fill=\"#4e79a7\"><title>")
          .append(esc(e.getKey()))
          .append(": ")
          .append(Text.count(c[0]))
          .append(" decisions</title></rect><text x=\"")
          .append(f(left + Math.max(1, w) + 6))
          .append("\" y=\"")
          .append(y + 16)
          .append("\">")
          .append(Text.count(c[0]))
          .append(" \u00b7 click ")
          .append(pct(share(c[1], c[0])))
          .append(" \u00b7 cart ")
          .append(pct(share(c[2], c[0])))
          .append(" \u00b7 purchase ")
          .append(pct(share(c[3], c[0])))
          .append("</text>\n");
      y += rowH;
    }
    h.append("</svg>\n");
  }

  /** Dots with whiskers on a common scale; an optional tick per row. */
  private void dotChart(String id, List<Dot> dots, String empty) {
    if (dots.isEmpty()) {
      h.append("<p>").append(esc(empty.isEmpty() ? "nothing to show" : empty)).append("</p>\n");
      return;
    }
    double max = 0;
    for (Dot d : dots) {
      max = Math.max(max, Math.max(d.hi(), Double.isNaN(d.reference()) ? 0 : d.reference()));
    }
    max = niceCeiling(max);
    int left = 230;
    int plotW = 420;
    int rowH = 22;
    int top = 22;
    int height = top + dots.size() * rowH + 6;
    open(id, height);
    for (int t = 0; t <= 4; t++) {
      double v = max * t / 4;
      double x = left + plotW * t / 4.0;
      h.append("<line x1=\"")
          .append(f(x))
          .append("\" y1=\"")
          .append(top - 4)
          .append("\" x2=\"")
          .append(f(x))
          .append("\" y2=\"")
          .append(height - 4)
          .append("\" stroke=\"#e5e5e5\"/><text x=\"")
          .append(f(x))
          .append("\" y=\"12\" text-anchor=\"middle\">")
          .append(pct(v))
          .append("</text>\n");
    }
    int y = top;
    for (Dot d : dots) {
      double cy = y + rowH / 2.0;
      double x = left + plotW * clamp(d.value() / max);
      double x0 = left + plotW * clamp(d.lo() / max);
      double x1 = left + plotW * clamp(d.hi() / max);
      h.append("<text x=\"")
          .append(left - 8)
          .append("\" y=\"")
          .append(f(cy + 4))
          .append("\" text-anchor=\"end\">")
          .append(esc(d.label()))
          .append("</text><line x1=\"")
          .append(f(x0))
          .append("\" y1=\"")
          .append(f(cy))
          .append("\" x2=\"")
          .append(f(x1))
          .append("\" y2=\"")
          .append(f(cy))
          .append("\" stroke=\"#4e79a7\" stroke-width=\"2\"/>");
      if (!Double.isNaN(d.reference())) {
        double xr = left + plotW * clamp(d.reference() / max);
        h.append("<line x1=\"")
            .append(f(xr))
            .append("\" y1=\"")
            .append(f(cy - 7))
            .append("\" x2=\"")
            .append(f(xr))
            .append("\" y2=\"")
            .append(f(cy + 7))
            .append("\" stroke=\"#c0392b\" stroke-width=\"2\"/>");
      }
      h.append("<circle class=\"point\" cx=\"")
          .append(f(x))
          .append("\" cy=\"")
          .append(f(cy))
          .append("\" r=\"4.5\" fill=\"#1f3b63\"><title>")
          .append(esc(d.label()))
          .append(": ")
          .append(pct(d.value()))
          .append(" (")
          .append(pct(d.lo()))
          .append(" to ")
          .append(pct(d.hi()))
          .append(")</title></circle><text x=\"")
          .append(left + plotW + 10)
          .append("\" y=\"")
          .append(f(cy + 4))
          .append("\">")
          .append(pct(d.value()))
          .append(" [")
          .append(pct(d.lo()))
          .append(", ")
          .append(pct(d.hi()))
          .append("] \u00b7 ")
          .append(esc(d.note()))
          .append("</text>\n");
      y += rowH;
    }
    h.append("</svg>\n");
  }

  private void open(String id, int height) {
    charts++;
    h.append("<svg class=\"chart\" data-chart=\"")
        .append(esc(id))
        .append("\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(height)
        .append("\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(height)
        .append("\" role=\"img\">\n");
  }

  private void axisY(int left, int top, int plotW, int plotH) {
    for (int t = 0; t <= 4; t++) {
      double y = top + plotH - plotH * t / 4.0;
      h.append("<line x1=\"")
          .append(left)
          .append("\" y1=\"")
          .append(f(y))
          .append("\" x2=\"")
          .append(left + plotW)
          .append("\" y2=\"")
          .append(f(y))
          .append("\" stroke=\"#e5e5e5\"/><text x=\"")
          .append(left - 6)
          .append("\" y=\"")
          .append(f(y + 4))
          .append("\" text-anchor=\"end\">")
          .append(25 * t)
          .append("%</text>\n");
    }
  }

  /** Returns the number of charts drawn. */
  int charts() {
    return charts;
  }

  // --- helpers ---

  /** Sums hourly counts into days when {@code daily}. */
  /**
   * Sums hourly counts into days when {@code daily}; every hour or day from the first to the last
   * has its bucket, an empty one where there were no counts, so that the axis is time.
   */
  private static SortedMap<Long, Map<String, long[]>> bucket(
      SortedMap<Long, Map<String, long[]>> hours, boolean daily) {
    TreeMap<Long, Map<String, long[]>> out = new TreeMap<>();
    long size = daily ? 24 * ReportData.HOUR : ReportData.HOUR;
    hours.forEach(
        (hour, m) -> {
          Map<String, long[]> d =
              out.computeIfAbsent(Math.floorDiv(hour, size) * size, k -> new LinkedHashMap<>());
          m.forEach((k, v) -> d.computeIfAbsent(k, x -> new long[1])[0] += v[0]);
        });
    if (!out.isEmpty()) {
      for (long t = out.firstKey(); t < out.lastKey(); t += size) {
        out.putIfAbsent(t, Map.of());
      }
    }
    return out;
  }

  /** Returns the first metric (click, add to cart, purchase) with any successes; click if none. */
  private static int metric(Iterable<ReportData.Counts> counts, boolean perExposure) {
    for (int m = 0; m < 3; m++) {
      for (ReportData.Counts c : counts) {
        if (c.of(perExposure)[m + 1] > 0) {
          return m;
        }
      }
    }
    return 0;
  }

  private static Dot rate(String label, long[] c, int metric, boolean perExposure) {
    long k = c[metric + 1];
    double[] ci = Bayes.interval(k, c[0]);
    return new Dot(
        label,
        (double) k / c[0],
        ci[0],
        ci[1],
        Double.NaN,
        Text.count(c[0])
            + (perExposure ? " exposures" : " decisions")
            + ", "
            + Text.count(k)
            + " "
            + (metric == 0
                ? (k == 1 ? "click" : "clicks")
                : metric == 1
                    ? (k == 1 ? "add to cart" : "adds to cart")
                    : (k == 1 ? "purchase" : "purchases")));
  }

  private static long total(Map<String, ReportData.Counts> variants) {
    long n = 0;
    for (ReportData.Counts c : variants.values()) {
      n += c.all[0];
    }
    return n;
  }

  private static double share(long k, long n) {
    return n == 0 ? 0 : (double) k / n;
  }

  private static double niceCeiling(double max) {
    if (!(max > 0)) {
      return 1;
    }
    double step = Math.pow(10, Math.floor(Math.log10(max)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * step >= max) {
        return Math.min(1, m * step) >= max ? Math.min(1, m * step) : m * step;
      }
    }
    return max;
  }

  private static double clamp(double x) {
    return Double.isNaN(x) ? 0 : Math.max(0, Math.min(1, x));
  }

  private static String color(int i) {
    return PALETTE[i % PALETTE.length];
  }

  private static String f(double d) {
    return String.format(Locale.ROOT, "%.1f", d);
  }

  static String pct(double share) {
    return Text.human(100 * share) + "%";
  }

  private static String signedPct(double share) {
    return (share > 0 ? "+" : "") + pct(share);
  }

  private static String pval(double p) {
    return p < 1e-4 ? "< 0.0001" : Text.human(p);
  }

  /** Escapes text for HTML and SVG, in text and in quoted attributes. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
