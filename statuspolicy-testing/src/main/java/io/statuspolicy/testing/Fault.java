package io.statuspolicy.testing;

/**
 * A transport failure that {@link ScriptedServer} acts out instead of (or in the middle of) a
 * normal response. Each one is a real socket event seen by the client, not a status code.
 *
 * <p>The server speaks HTTP/1.1 only, so every fault ends the whole connection: the client's
 * next request arrives on a new connection, with a new {@link RecordedExchange#connectionIndex()}.
 */
public enum Fault {

    /** No fault: the reply is sent as scripted. */
    NONE,

    /**
     * The server closes a new connection as soon as it accepts it, before reading a byte: the
     * request never reached the application (RFC 9110 §9.2.2, "never applied").
     *
     * <p>The server cannot know which path a request is for before reading it, so this fault is
     * taken at connection level: see {@link ScriptedServer#on(String, Reply...)} for how a
     * connection is matched to a scripted path, and what is recorded.
     */
    DISCONNECT_AT_START,

    /**
     * The server reads the whole request (head and body), then closes the connection without
     * sending a byte of response: the client cannot know whether the request was applied.
     */
    DISCONNECT_AFTER_REQUEST,

    /**
     * The server reads the whole request and never answers; the connection stays open, silent,
     * until the client gives up or the server is closed.
     */
    NO_RESPONSE,

    /**
     * The server sends the status line, the headers and about half of the body, then closes the
     * connection: a truncated response (RFC 9112 §8). With a {@code Content-Length} the client
     * sees fewer bytes than announced; with {@link Reply#chunked()} the final chunk never comes.
     * Needs a body of at least two bytes.
     */
    DISCONNECT_DURING_BODY
}
