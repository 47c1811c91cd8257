package dev.persona.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Examples shown in Markdown documents, checked against the test code that compiles and runs them,
 * so that a document cannot show code that no longer works. The test marks the code with the
 * comments {@code // <name> begins} and {@code // <name> ends}; formatting may differ, as
 * google-java-format lays out the test and a person the document. Stateless.
 */
public final class Snippets {
  private Snippets() {}

  /**
   * Returns the first {@code ```java} block after a heading of a Markdown document.
   *
   * @param markdown the document
   * @param heading the heading line, such as {@code "## Embedding"}
   * @return the block's code
   * @throws IllegalArgumentException if the document has no such heading or no block after it
   */
  public static String javaBlock(Path markdown, String heading) throws IOException {
    String text = "\n" + Files.readString(markdown);
    int at = text.indexOf("\n" + heading + "\n");
    int open = at < 0 ? -1 : text.indexOf("```java\n", at);
    int close = open < 0 ? -1 : text.indexOf("```", open + 8);
    if (close < 0) {
      throw new IllegalArgumentException(
          markdown + " has no ```java block after the heading " + heading);
    }
    return text.substring(open + 8, close);
  }

  /**
   * Returns the code of a test between {@code // <name> begins} and {@code // <name> ends}.
   *
   * @param source the test's source file
   * @param name the region's name, such as {@code "README example"}
   * @return the code between the two comments
   * @throws IllegalArgumentException if the source has no such region
   */
  public static String region(Path source, String name) throws IOException {
    String text = Files.readString(source);
    String begins = "// " + name + " begins";
    int from = text.indexOf(begins);
    int to = from < 0 ? -1 : text.indexOf("// " + name + " ends", from);
    if (to < 0) {
      throw new IllegalArgumentException(source + " has no region '" + name + "'");
    }
    return text.substring(from + begins.length(), to);
  }

  /**
   * Returns code without its white space, so that two layouts of the same code compare equal.
   *
   * @param code the code
   * @return the code with every run of white space removed
   */
  public static String withoutSpace(String code) {
    return code.replaceAll("\\s+", "");
  }
}
