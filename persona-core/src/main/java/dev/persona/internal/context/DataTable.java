package dev.persona.internal.context;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the data resources of this package: the tables of tokens, hosts, names and codes that the
 * extractors classify with, read once when the class that owns a table is initialized.
 *
 * <p>The format, for every resource: UTF-8 text, one row a line. {@code #} starts a comment that
 * runs to the end of the line; blank lines are skipped. Columns are separated by tabs (a run of
 * tabs is one separator, so columns may be aligned); each value is trimmed of spaces, and a value
 * that begins or ends with a space is written in double quotes ({@code "adr "}). A value holds
 * neither {@code #} nor {@code "}, and a row has exactly the table's number of columns. Each
 * resource says in its header comment what its columns mean.
 *
 * <p>A malformed row fails the read with an {@link IllegalStateException} that names the resource
 * and the line, as does {@link Row#error} for the rows that the owning class rejects.
 *
 * <p>Stateless and thread-safe; {@link Row} is immutable.
 */
final class DataTable {

  private DataTable() {}

  /**
   * One row of a table.
   *
   * @param resource the resource's name
   * @param line the row's line number, from 1
   * @param values the row's values, one a column
   */
  record Row(String resource, int line, List<String> values) {

    /** Returns the value of column {@code column}, from 0. */
    String get(int column) {
      return values.get(column);
    }

    /** Returns the exception for a row that its table's owner rejects, naming resource and line. */
    IllegalStateException error(String message) {
      return DataTable.error(resource, line, message + ": " + String.join(" | ", values));
    }
  }

  /**
   * Reads a resource of this package with one column: the values, in file order.
   *
   * @throws IllegalStateException if the resource is missing or a row has more than one column
   */
  static List<String> values(String resource) {
    List<Row> rows = read(resource, 1);
    List<String> values = new ArrayList<>(rows.size());
    for (Row row : rows) {
      values.add(row.get(0));
    }
    return List.copyOf(values);
  }

  /**
   * Reads a resource of this package: its rows, in file order.
   *
   * @param columns the number of columns of every row
   * @throws IllegalStateException if the resource is missing or a row is malformed
   */
  static List<Row> read(String resource, int columns) {
    try (InputStream in = DataTable.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      return parse(
          resource, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), columns);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + resource, e);
    }
  }

  /**
   * Parses a table's text.
   *
   * @param resource the name that errors give
   * @param columns the number of columns of every row
   * @throws IllegalStateException if a row is malformed
   */
  static List<Row> parse(String resource, BufferedReader reader, int columns) throws IOException {
    List<Row> rows = new ArrayList<>();
    int number = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      number++;
      int hash = line.indexOf('#');
      String content = hash < 0 ? line : line.substring(0, hash);
      if (content.isBlank()) {
        continue;
      }
      List<String> values = new ArrayList<>(columns);
      for (String field : content.strip().split("\t+", -1)) {
        values.add(value(field.strip(), resource, number));
      }
      if (values.size() != columns) {
        throw error(
            resource,
            number,
            "expected " + columns + " tab-separated columns, found " + values.size() + ": " + line);
      }
      rows.add(new Row(resource, number, List.copyOf(values)));
    }
    return List.copyOf(rows);
  }

  private static String value(String field, String resource, int line) {
    boolean quoted = field.length() >= 2 && field.startsWith("\"") && field.endsWith("\"");
    String value = quoted ? field.substring(1, field.length() - 1) : field;
    if (value.isEmpty() || value.indexOf('"') >= 0) {
      throw error(resource, line, "empty value or stray double quote: " + field);
    }
    return value;
  }

  private static IllegalStateException error(String resource, int line, String message) {
    return new IllegalStateException(resource + ":" + line + ": " + message);
  }
}
