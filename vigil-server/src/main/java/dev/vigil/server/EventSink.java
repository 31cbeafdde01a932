package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import dev.vigil.model.VigilException;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Server-sent events of one response ({@code text/event-stream}): each event is an {@code event:} line naming it and
 * one {@code data:} line of compact JSON, flushed to the client at once.
 *
 * <p>The response starts with the first event, so an error before it still answers with its own status and JSON
 * body. A client that goes away does not stop the work: the events after it are dropped, so that what the work
 * stores (a session's turn) is still stored. Confined to the request's thread.
 */
public final class EventSink {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z_-]*");

    private final Context context;
    private OutputStream out;
    private boolean gone;
    private String errorCode = "";

    EventSink(Context context) {
        this.context = requireNonNull(context, "context is null");
    }

    /**
     * Sends one event.
     *
     * @param name the event's name, lower case ({@code plan}, {@code progress})
     * @param data written as JSON by the server's mapper (a {@code JsonNode} as it is)
     */
    public void send(String name, Object data) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("an event name is lower case letters, '-' and '_': " + name);
        }
        String json = ApiJson.MAPPER.writeValueAsString(data);
        // compact JSON has no line breaks (strings escape them), so one data line carries it whole
        write("event: " + name + "\ndata: " + json + "\n\n");
    }

    /** Whether the response has started: an event was sent. */
    public boolean started() {
        return out != null;
    }

    /** Sends the {@code error} event of a failure after the stream started; it ends the stream. */
    void error(VigilException e) {
        errorCode = e.code().id();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", e.code().id());
        body.put("message", e.getMessage());
        body.put("fix", e.fix());
        send("error", body);
    }

    /** The error code of the {@code error} event sent, or empty: the audit records it. */
    String errorCode() {
        return errorCode;
    }

    /** Starts the response when no event was sent, so that it is an empty stream rather than no answer. */
    void finish() {
        write("");
    }

    private void write(String text) {
        if (gone) {
            return;
        }
        try {
            if (out == null) {
                context.status(200);
                context.res().setCharacterEncoding("UTF-8");
                context.res().setContentType(Route.EVENT_STREAM + ";charset=utf-8");
                // proxies such as nginx hold a response back unless told not to
                context.res().setHeader("X-Accel-Buffering", "no");
                out = context.res().getOutputStream();
            }
            if (!text.isEmpty()) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
        } catch (IOException e) {
            gone = true;
        }
    }
}
