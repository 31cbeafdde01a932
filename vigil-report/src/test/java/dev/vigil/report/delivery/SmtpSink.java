package dev.vigil.report.delivery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small SMTP server for tests (enough of RFC 5321): EHLO and HELO, optional AUTH PLAIN, MAIL FROM, RCPT TO, DATA
 * with dot-unstuffing, RSET, NOOP and QUIT. It listens on a free loopback port, serves one connection at a time and
 * keeps every message it accepts. With a password set it requires AUTH PLAIN with that password before MAIL.
 */
final class SmtpSink implements AutoCloseable {
    /**
     * A message as the sink received it.
     *
     * @param user who logged in, or empty
     * @param data the message as sent, dot-unstuffed, lines ending in CRLF
     */
    record Received(String user, String from, List<String> to, String data) {}

    private final ServerSocket server;
    private final String user;
    private final String password;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final Thread thread;

    SmtpSink(String user, String password) throws IOException {
        this.user = user;
        this.password = password;
        this.server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        this.thread = Thread.ofPlatform().daemon().name("smtp-sink").start(this::serve);
    }

    int port() {
        return server.getLocalPort();
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** The commands clients sent, with AUTH's credentials blanked. */
    List<String> commands() {
        return List.copyOf(commands);
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(10_000);
                session(socket);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                // a client that broke off: serve the next one
            }
        }
    }

    private void session(Socket socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.ISO_8859_1));
        OutputStream out = socket.getOutputStream();
        reply(out, "220 sink.test ESMTP ready");
        String authenticated = "";
        String from = null;
        List<String> to = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(
                    Locale.ROOT);
            commands.add(verb.equals("AUTH") ? "AUTH PLAIN ****" : line);
            switch (verb) {
                case "EHLO" -> reply(out, "250-sink.test greets you\r\n250-8BITMIME\r\n" + (password == null ? ""
                        : "250-AUTH PLAIN\r\n") + "250 SIZE 10485760");
                case "HELO" -> reply(out, "250 sink.test");
                case "AUTH" -> {
                    String[] parts = line.split(" ");
                    if (parts.length < 2 || !parts[1].equalsIgnoreCase("PLAIN")) {
                        reply(out, "504 5.5.4 only AUTH PLAIN");
                        continue;
                    }
                    String response = parts.length > 2 ? parts[2] : null;
                    if (response == null) {
                        reply(out, "334 ");
                        response = in.readLine();
                    }
                    String[] fields = new String(Base64.getDecoder().decode(response.strip()),
                            StandardCharsets.UTF_8).split("\u0000", -1);
                    if (fields.length == 3 && fields[1].equals(user) && fields[2].equals(password)) {
                        authenticated = fields[1];
                        reply(out, "235 2.7.0 authenticated");
                    } else {
                        reply(out, "535 5.7.8 bad credentials");
                    }
                }
                case "MAIL" -> {
                    if (password != null && authenticated.isEmpty()) {
                        reply(out, "530 5.7.0 authentication required");
                    } else {
                        from = address(line);
                        to.clear();
                        reply(out, "250 2.1.0 ok");
                    }
                }
                case "RCPT" -> {
                    if (from == null) {
                        reply(out, "503 5.5.1 MAIL first");
                    } else {
                        to.add(address(line));
                        reply(out, "250 2.1.5 ok");
                    }
                }
                case "DATA" -> {
                    if (from == null || to.isEmpty()) {
                        reply(out, "503 5.5.1 MAIL and RCPT first");
                        continue;
                    }
                    reply(out, "354 end with <CRLF>.<CRLF>");
                    StringBuilder data = new StringBuilder();
                    String dataLine;
                    while ((dataLine = in.readLine()) != null && !dataLine.equals(".")) {
                        data.append(dataLine.startsWith(".") ? dataLine.substring(1) : dataLine).append("\r\n");
                    }
                    received.add(new Received(authenticated, from, List.copyOf(to), data.toString()));
                    from = null;
                    to.clear();
                    reply(out, "250 2.0.0 queued as " + received.size());
                }
                case "RSET" -> {
                    from = null;
                    to.clear();
                    reply(out, "250 2.0.0 ok");
                }
                case "NOOP" -> reply(out, "250 2.0.0 ok");
                case "QUIT" -> {
                    reply(out, "221 2.0.0 bye");
                    return;
                }
                default -> reply(out, "502 5.5.2 command not implemented");
            }
        }
    }

    /** The address between angle brackets of {@code MAIL FROM:<a@b> SIZE=1}. */
    private static String address(String line) {
        int open = line.indexOf('<');
        int close = line.indexOf('>', open + 1);
        return open >= 0 && close > open ? line.substring(open + 1, close) : line.substring(line.indexOf(':') + 1)
                .strip();
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
