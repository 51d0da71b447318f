package io.rxprom.vertx;

/**
 * Why a push or delete failed: the failure of the {@code Future} a {@link PushgatewayClient}
 * returns. {@link #kind()} tells a rejection, an HTTP error, a refused connection, a timeout and
 * other transport errors apart; the message says which, with the method, path and address.
 *
 * <p>Thread-safe: immutable.
 */
public final class PushgatewayException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The kinds of failure. */
  public enum Kind {
    /** HTTP 400: the gateway refused the metrics (inconsistent with what it holds, or unparsable). */
    REJECTED,
    /** Another status outside 2xx (401, 404, 5xx, ...). */
    HTTP_ERROR,
    /** Nothing listens at the gateway's address. */
    CONNECTION_REFUSED,
    /** No connection, or no complete answer, within the configured timeout. */
    TIMEOUT,
    /** Any other I/O failure: unknown host, connection reset, TLS handshake. */
    TRANSPORT
  }

  private final Kind kind;
  private final int statusCode;
  private final String responseBody;

  PushgatewayException(Kind kind, String message, int statusCode, String responseBody, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.statusCode = statusCode;
    this.responseBody = responseBody;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status for {@link Kind#REJECTED} and {@link Kind#HTTP_ERROR}; -1 otherwise. */
  public int statusCode() {
    return statusCode;
  }

  /** The gateway's answer (for a 400 its reason), possibly shortened; empty if there was none. */
  public String responseBody() {
    return responseBody;
  }
}
