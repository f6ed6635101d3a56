package io.poolwatch.security;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A request's path in the one form access is decided on: the path the router dispatches. The raw path (as sent, before
 * any decoding) is read once:
 * <ul>
 * <li>matrix parameters ({@code ;x}) are dropped from every segment, as Quarkus REST does before it matches;</li>
 * <li>percent-encoding is decoded (strict UTF-8), as the router decodes before it matches;</li>
 * <li>{@code .} segments are dropped and {@code x/..} removed (RFC 3986), as Vert.x does;</li>
 * <li>a trailing {@code /} is dropped (Quarkus REST matches {@code /a/} as {@code /a}).</li>
 * </ul>
 * What different layers could read differently is refused instead of guessed ({@link UnclearPathException}, a 400):
 * an encoded {@code /}, {@code \}, {@code ;} or {@code %} (double encoding), a raw {@code \}, control characters, an
 * empty segment ({@code //}), a dot segment that was encoded or carried matrix parameters ({@code %2e%2e},
 * {@code ..;x}), a {@code ..} above the root, malformed percent-encoding, and paths longer than {@link #MAX_LENGTH}.
 * Case is kept: the router's matching is case-sensitive, so {@code /API/v1/audit} is a path no table entry names.
 */
public final class RequestPath {

    /** Longer raw paths are refused: no endpoint's path is near it. */
    public static final int MAX_LENGTH = 2048;

    private RequestPath() {
    }

    /** A path that cannot be normalised without guessing how the router would read it. */
    public static final class UnclearPathException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UnclearPathException(String message) {
            super(message);
        }
    }

    /**
     * The canonical form of a raw request path (without its query): starts with {@code /}, no empty, dot or matrix
     * segments, decoded, no trailing {@code /} unless it is {@code /}.
     *
     * @throws UnclearPathException saying what is ambiguous
     */
    public static String normalize(String raw) {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
            throw new UnclearPathException("the path must start with '/'");
        }
        if (raw.length() > MAX_LENGTH) {
            throw new UnclearPathException("the path is longer than " + MAX_LENGTH + " characters");
        }
        Deque<String> segments = new ArrayDeque<>();
        String[] parts = raw.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.isEmpty()) {
                if (last) {
                    break; // a trailing slash
                }
                throw new UnclearPathException("the path has an empty segment ('//')");
            }
            for (int c = 0; c < part.length(); c++) {
                if (part.charAt(c) > 0x7e || part.charAt(c) < 0x21) {
                    throw new UnclearPathException(
                            "the path contains a character that is not printable ASCII (send it percent-encoded)");
                }
            }
            int semicolon = part.indexOf(';');
            String bare = semicolon >= 0 ? part.substring(0, semicolon) : part;
            if (bare.indexOf('\\') >= 0) {
                throw new UnclearPathException("the path contains '\\'");
            }
            String decoded = decode(bare);
            for (int c = 0; c < decoded.length(); c++) {
                char ch = decoded.charAt(c);
                if (ch == '/' || ch == '\\' || ch == ';' || ch == '%') {
                    throw new UnclearPathException("the path contains an encoded '" + ch + "'");
                }
                if (ch < 0x20 || ch == 0x7f) {
                    throw new UnclearPathException("the path contains a control character");
                }
            }
            boolean dot = decoded.equals(".") || decoded.equals("..");
            if (dot && !part.equals(decoded)) {
                throw new UnclearPathException("the path has an encoded dot segment or one with parameters ('" + part + "')");
            }
            if (bare.isEmpty()) {
                // ";x" alone: the router reads an empty segment.
                throw new UnclearPathException("the path has a segment of parameters only ('" + part + "')");
            }
            if (decoded.equals(".")) {
                continue;
            }
            if (decoded.equals("..")) {
                if (segments.isEmpty()) {
                    throw new UnclearPathException("the path climbs above '/'");
                }
                segments.removeLast();
                continue;
            }
            segments.addLast(decoded);
        }
        if (segments.isEmpty()) {
            return "/";
        }
        StringBuilder b = new StringBuilder(raw.length());
        for (String s : segments) {
            b.append('/').append(s);
        }
        return b.toString();
    }

    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    throw new UnclearPathException("the path has a malformed percent-encoding");
                }
                int hi = Character.digit(segment.charAt(i + 1), 16);
                int lo = Character.digit(segment.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new UnclearPathException("the path has a malformed percent-encoding");
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new UnclearPathException("the path's percent-encoding is not UTF-8");
        }
    }
}
