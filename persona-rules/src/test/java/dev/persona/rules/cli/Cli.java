package dev.persona.rules.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Runs the tool in-process and captures what it prints. */
record Cli(int code, String out, String err) {

  static Cli run(String... args) {
    return runWithInput("", args);
  }

  static Cli runWithInput(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), o, e);
    }
    return new Cli(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Returns stdout's lines. */
  List<String> outLines() {
    return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
  }

  /** Returns stderr's lines. */
  List<String> errLines() {
    return err.isEmpty() ? List.of() : Arrays.asList(err.split("\n"));
  }

  /** Returns both streams. */
  String all() {
    return out + err;
  }

  static Path write(Path dir, String name, String... lines) throws IOException {
    return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n");
  }

  /**
   * A small rule file: value hunters use coupons ({@code couponWeight}), researchers read reviews.
   * Counts decay, so conditions test 0.5 rather than 1.
   */
  static String rules(double couponWeight) {
    return String.join(
        "\n",
        "{",
        "  \"version\": \"test-" + couponWeight + "\",",
        "  \"personas\": [",
        "    {\"id\": \"value_hunter\", \"name\": \"Value hunter\", \"threshold\": 0.5},",
        "    {\"id\": \"researcher\", \"name\": \"Researcher\", \"threshold\": 0.5}",
        "  ],",
        "  \"rules\": [",
        "    {\"id\": \"coupon-user\", \"when\": {\"signal\": \"coupons_applied\", \"gte\": 0.5},",
        "     \"add\": {\"value_hunter\": " + couponWeight + "}},",
        "    {\"id\": \"reads-reviews\", \"when\": {\"signal\": \"reviews_read\", \"gte\": 0.5},",
        "     \"add\": {\"researcher\": 0.3}, \"per\": {\"signal\": \"reviews_read\", \"cap\": 4}}",
        "  ],",
        "  \"lifecycle\": [{\"segment\": \"new_visitor\", \"priority\": 0}],",
        "  \"stages\": [",
        "    {\"stage\": \"awareness\", \"priority\": 0},",
        "    {\"stage\": \"consideration\", \"priority\": 10,",
        "     \"when\": {\"signal\": \"product_views\", \"gte\": 2}}",
        "  ],",
        "  \"placements\": [{\"id\": \"home.hero\", \"variants\": [",
        "    {\"id\": \"flash-sale\", \"targets\": [\"value_hunter\"],",
        "     \"content\": {\"title\": \"Flash sale\", \"ends_in_hours\": 24}},",
        "    {\"id\": \"top-rated\", \"targets\": [\"researcher\"], \"content\": \"Top rated\"},",
        "    {\"id\": \"new-season\", \"default\": true, \"content\": {\"title\": \"New season\"}}",
        "  ]}]",
        "}");
  }
}
