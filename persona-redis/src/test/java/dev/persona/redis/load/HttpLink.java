package dev.persona.redis.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One kept-alive HTTP/1.1 connection to one instance, written by hand so that a request is sent
 * exactly once: the JDK's {@code HttpURLConnection} silently sends a POST again when a kept-alive
 * connection fails, which would count a shopper's events twice. A failed request closes the
 * connection; the next one opens a new one. Not thread-safe: one per client thread and instance.
 */
final class HttpLink implements Closeable {
  /** The browser a shopper uses: a bot's behaviour would not be stored. */
  static final String USER_AGENT =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/131.0.0.0 Safari/537.36";

  private static final int READ_TIMEOUT_MILLIS = 60_000;

  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  HttpLink(int port) {
    this.port = port;
  }

  /** An answer: the status and the form in its body. */
  record Answer(int status, Form form) {}

  /**
   * Sends one request and reads its answer.
   *
   * @param method GET or POST
   * @param target the path and query
   * @param body the form to post, or null
   * @param gpc whether to send {@code Sec-GPC: 1}
   * @throws IOException if the connection failed; it is closed
   */
  Answer send(String method, String target, @Nullable Form body, boolean gpc) throws IOException {
    try {
      return exchange(method, target, body, gpc);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private Answer exchange(String method, String target, @Nullable Form body, boolean gpc)
      throws IOException {
    if (socket == null) {
      Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
      s.setTcpNoDelay(true);
      s.setSoTimeout(READ_TIMEOUT_MILLIS);
      socket = s;
      in = new BufferedInputStream(s.getInputStream(), 8192);
      out = s.getOutputStream();
    }
    byte[] content = body == null ? new byte[0] : body.encode().getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: 127.0.0.1:").append(port).append("\r\n");
    head.append("User-Agent: ").append(USER_AGENT).append("\r\n");
    if (gpc) {
      head.append("Sec-GPC: 1\r\n");
    }
    if (body != null) {
      head.append("Content-Type: application/x-www-form-urlencoded\r\n");
    }
    head.append("Content-Length: ").append(content.length).append("\r\n\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] request = Arrays.copyOf(headBytes, headBytes.length + content.length);
    System.arraycopy(content, 0, request, headBytes.length, content.length);
    out.write(request); // one write: with TCP_NODELAY, one segment
    out.flush();

    String status = line();
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP answer");
    }
    int code = Integer.parseInt(parts[1]);
    int length = -1;
    boolean closes = false;
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).strip();
      if (name.equals("content-length")) {
        length = Integer.parseInt(value);
      } else if (name.equals("connection") && value.equalsIgnoreCase("close")) {
        closes = true;
      } else if (name.equals("transfer-encoding")) {
        throw new IOException("chunked answers are not expected");
      }
    }
    if (length < 0) {
      throw new IOException("an answer without a length");
    }
    byte[] answer = in.readNBytes(length);
    if (answer.length < length) {
      throw new EOFException("the answer ended early");
    }
    if (closes) {
      close();
    }
    return new Answer(code, Form.parse(new String(answer, StandardCharsets.UTF_8)));
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new EOFException("the connection closed");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() {
    Socket s = socket;
    socket = null;
    in = null;
    out = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing is all that is left to do
      }
    }
  }
}
